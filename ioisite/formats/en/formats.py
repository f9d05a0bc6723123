"""English dates as the site has always written them: day, month, year ("2 May 2024"). Anything
not named here comes from Django's own English formats."""

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i e"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
