// Initialise all GOV.UK Frontend components marked with data-module.
// The page template's inline script (with its CSP nonce) has already set the body classes.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

initAll()
