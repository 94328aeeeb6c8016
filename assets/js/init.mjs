// Set up the GOV.UK Frontend components Heard's pages use (each element marked with its
// data-module): only these are bundled (scripts/build-assets.sh), and tests/unit/test_assets.py
// fails when a template uses one that is not listed here. The page template's inline script
// (with its CSP nonce) has already set the body classes.
import {
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  ExitThisPage,
  FileUpload,
  NotificationBanner,
  PasswordInput,
  Radios,
  SkipLink,
  createAll
} from 'govuk-frontend'

for (const Component of [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  ExitThisPage,
  FileUpload,
  NotificationBanner,
  PasswordInput,
  Radios,
  SkipLink
]) {
  createAll(Component)
}

// The skip link moves focus to the main content (GOV.UK Frontend's SkipLink, set up above,
// does that) without putting #main-content in the address: a fragment there is carried into
// the page a form's redirect leads to, where the first Tab would then pass the skip link, Exit
// this page and the language switch by (issue 22).
for (const link of document.querySelectorAll('.govuk-skip-link[href^="#"]')) {
  link.addEventListener('click', (event) => {
    const target = document.getElementById(link.hash.slice(1))
    if (!target) return
    event.preventDefault()
    if (document.activeElement !== target) {
      target.setAttribute('tabindex', '-1')
      target.focus()
    }
  })
}

// An error summary link to radios: GOV.UK Frontend's ErrorSummary scrolls the group's legend to
// the top of the screen, then focuses the first radio without scrolling. When the question, its
// hint and its error are taller than the screen (the 0–10 scale on a 320px phone at 200% text)
// the focused radio was left below it (issue 22): bring it into view, the legend as high as fits.
document.addEventListener('click', (event) => {
  if (!(event.target instanceof Element) || !event.target.closest('.govuk-error-summary a')) return
  const focused = document.activeElement
  if (!focused || !focused.matches('input, select, textarea')) return
  // The radio with its label, where the focused control is one of a group
  const item = focused.closest('.govuk-radios__item, .govuk-checkboxes__item') || focused
  const box = item.getBoundingClientRect()
  if (box.top < 0 || box.bottom > window.innerHeight) item.scrollIntoView({ block: 'nearest' })
})
