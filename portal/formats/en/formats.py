"""English date formats as the portal writes them: 2 November 2015 (international English).

Django's own English formats are American ("Nov. 2, 2015"); German and Japanese keep Django's
("2. November 2015", "2015年11月2日").
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
