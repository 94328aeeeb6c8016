"""The annual report (issue 23): the live reports' figures for one financial year, with trends,
other areas' figures and the manager's words, as a page, a PDF and a Word document."""
