"""A logging filter that masks anything shaped like a NIR or a NIA before a log line leaves the process.

Installed on every handler of settings.LOGGING: numbers never reach application logs (décret 2019-341), whatever a
message, its arguments or an exception's text carries.
"""

import logging
import re

# 13 or 15 characters (the body, then perhaps the key), a digit first, single spaces, dots or dashes allowed
# between characters, 2A/2B for Corsica; not glued to a longer run of letters or digits.
NUMBER_SHAPE = re.compile(r"(?<![\w])\d(?:[ .\-]?[\dABab]){12}(?:[ .\-]?\d[ .\-]?\d)?(?![\w])")
MASK = "[numéro masqué]"


def scrub(text):
    """``text`` with every NIR- or NIA-shaped run replaced by a mask."""
    return NUMBER_SHAPE.sub(MASK, text)


class ScrubNumbersFilter(logging.Filter):
    """Masks numbers in the formatted message, the exception's traceback and the stack; never drops a record."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep its raw parts, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = scrub(message), None
        if record.exc_info:
            # The traceback as text, masked; exc_info goes, so that no handler formats the raw exception again.
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
