"""Letters to the people locked out with an NIA: how to get a CAF waiting number and book an appointment.

- ``pdf``: the page (letterhead, window-envelope address, text in French or English, booking QR code), reportlab.
- ``batch``: a batch of letters streamed into one PDF and a CSV, then recorded in each case's contact log.
- ``services``: a batch requested from the screens (``LetterBatch``), run at once or as a background task.
- ``tasks``: the background task.
"""
