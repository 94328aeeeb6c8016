"""``flask import attendance``: past records, one row per person per conference, from a CSV file.

The whole file is read and checked first; only a file without a single error is written, in one
transaction. A row is identified by ``conference_ref`` + ``person_ref``: importing the same file
again changes nothing, and a corrected file updates the rows it corrects in place (rows missing
from the new file are left as they are, never deleted).

Columns are found by name, so their order does not matter; the header must hold exactly these
ten names, and may hold the three optional plan columns too (an unknown, missing or repeated one
is an error). The plan columns set each child's section 47 date, plan outcome and category, and
the plans of the children whose rows changed are derived again (``rebuild_plans``). Values are
trimmed. A value that looks like a spreadsheet formula is just text here: nothing in the file is
ever evaluated.

The writing is done with bulk statements (one query per few thousand references, not one per
row): the models' Python-side hooks do not run, so ``conference_date`` is set here, and nothing
else fires either. No advocacy referral, invitation or message is made for history, and each
imported adult's scheduled messages are held back (``invitations_paused``) so the feedback
schedule never picks up a recent imported conference.

``rows`` holds the file's columns and what a checked row becomes, ``parse`` reads the file,
``check`` checks each row, ``lookup`` checks it against the database, ``write`` writes it, and
``services.import_attendance`` runs them in that order.
"""
