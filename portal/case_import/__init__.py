"""``flask import conferences`` and its upload page: upcoming conferences from the council's case
system (LCS, Mosaic, Liquidlogic, Eclipse), one row per person per conference.

The file is checked whole (``check`` for each row on its own, ``match`` against the portal),
then written in one transaction or not at all (``write``), by the services the pages use: a
conference set up or edited by hand and one imported follow the same rules (links expire anew,
tasks fall due by the new start, children at the advocacy age are referred, the invitations'
schedule picks the people up). A conference is identified by ``conference_ref``
(``Conference.external_ref``), a person by ``person_ref`` (``Child.external_ref`` /
``FamilyMember.external_ref``), so importing the same file again changes nothing. Nobody is
removed by a later file: people in the portal but not in the file are listed for the coordinator.

Above the pages' tier (it drives ``conferences``' services and reads ``reports.importing``'s CSV
reader and error format), below the entry points.
"""
