"""Tibetan dates as the Tibetan pages write them: the year, month number and day after their words
(སྤྱི་ལོ་2026 ཟླ་12 ཚེས་3 19:30) and a 24-hour clock, like the other languages. No Tibetan letter is a
format character, so none needs escaping."""

DATE_FORMAT = "སྤྱི་ལོ་Y ཟླ་n ཚེས་j"
DATETIME_FORMAT = "སྤྱི་ལོ་Y ཟླ་n ཚེས་j H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "ཟླ་n ཚེས་j"
YEAR_MONTH_FORMAT = "སྤྱི་ལོ་Y ཟླ་n"
FIRST_DAY_OF_WEEK = 1  # Monday
