"""Spanish dates ("2 de mayo de 2024"). Anything not named here comes from Django's own Spanish
formats (a decimal comma, for one)."""

DATE_FORMAT = r"j \d\e F \d\e Y"
YEAR_MONTH_FORMAT = r"F \d\e Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i e"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
