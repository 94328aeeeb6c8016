// Initialise all GOV.UK Frontend components marked with data-module.
// The page template's inline script (with its CSP nonce) has already set the body classes.
import { initAll } from '/static/govuk/govuk-frontend.min.js'
// The warning before a time limit, and words typed kept in the page (issue 22), is
// assets/js/time-limit.mjs: scripts/build-assets.sh appends it to this file in static/, so a
// family page fetches one module of ours, not two.

initAll()

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
// Time limits that warn and extend (issue 22, WCAG 2.2.1), and words typed kept in the page.
//
// The server decides when a family's visit or a staff session ends; the page is told how many
// seconds are left (templates/macros/time_limit.html) and counts down from there. Before the
// end it opens GOV.UK's timeout warning: a modal dialog, announced, with focus in it. Continue
// (or Escape) asks the server for more time. Without JavaScript none of this runs and the pages
// work as before.
//
// What is typed into a text box is kept in this tab's sessionStorage under a key for this
// person's visit or session, put back when they come back to the page (after opening their link
// again, or signing in again), and removed once saved, on "Exit this page", and when the visit
// or session ends any other way.

const session = document.getElementById('heard-session')
const scope = session ? session.dataset.scope : ''
const keepDrafts = session ? session.hasAttribute('data-keep-drafts') : false
const DRAFT = 'heard-draft:'
const PENDING = 'heard-draft-saving'

function storage () {
  try {
    return window.sessionStorage
  } catch {
    return null // storage turned off: nothing is kept
  }
}

function draftKeys (matches) {
  const store = storage()
  if (!store) return []
  const keys = []
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i)
    if (key && key.startsWith(DRAFT) && matches(key)) keys.push(key)
  }
  return keys
}

function forget (matches) {
  for (const key of draftKeys(matches)) storage().removeItem(key)
}

function keyFor (field) {
  return `${DRAFT}${scope}:${window.location.pathname}:${field.name}`
}

function typedFields () {
  return document.querySelectorAll(
    'main form[method="post" i] textarea[name], ' +
      'main form[method="post" i] input[name]:is([type="text"], :not([type]))' +
      ':not([autocomplete="one-time-code"], [data-no-draft])'
  )
}

function keepTypedWords () {
  const store = storage()
  if (!store) return
  const saving = store.getItem(PENDING)
  store.removeItem(PENDING)
  if (!scope) {
    // No visit or session: ended by Finish for now or signing out, so the words go; unless a
    // time limit ended it (a form posted then was not saved), and the same person will be back
    // (through their link, or by signing in again).
    if (!keepDrafts) forget(() => true)
    return
  }
  // Someone else's words (another visit or account in this tab) are never shown: removed.
  forget((key) => !key.startsWith(`${DRAFT}${scope}:`))
  // The page after a save: the words posted from that page are saved now, unless it came back
  // with an error to put right.
  const hasErrors = document.querySelector('.govuk-error-summary')
  if (saving && !(saving === window.location.pathname && hasErrors)) {
    forget((key) => key.startsWith(`${DRAFT}${scope}:${saving}:`))
  }
  const notice = document.getElementById('heard-draft-restored')
  for (const field of typedFields()) {
    const kept = store.getItem(keyFor(field))
    if (kept !== null && kept !== field.value) {
      field.value = kept
      field.dispatchEvent(new Event('input', { bubbles: true })) // the character count
      if (notice && notice.hidden) {
        // Said above the box, so nobody takes the words for saved ones.
        const place = field.closest('.govuk-form-group') || field
        place.parentNode.insertBefore(notice, place)
        notice.hidden = false
      }
    }
    field.addEventListener('input', () => {
      if (field.value === field.defaultValue) store.removeItem(keyFor(field))
      else store.setItem(keyFor(field), field.value)
    })
    field.form.addEventListener('submit', () => {
      store.setItem(PENDING, window.location.pathname)
    })
  }
  // "Exit this page" (its button or Shift three times) hides the page before leaving it.
  new window.MutationObserver(() => {
    if (document.body.classList.contains('govuk-exit-this-page-hide-content')) forget(() => true)
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] })
}

function warnBeforeTheEnd (dialog) {
  const button = dialog.querySelector('[data-time-limit-continue]')
  const warnBefore = Number(dialog.dataset.warnBefore) * 1000
  const anyway = dialog.dataset.endsAnywayIn
  // Counted from when this page arrived, so whether the device's clock is right does not matter;
  // the wall clock (not the page's own) goes on counting while a phone sleeps.
  const endsAnywayAt = anyway === undefined ? Infinity : Date.now() + Number(anyway) * 1000
  let endsAt = Date.now() + Number(dialog.dataset.endsIn) * 1000
  let warnTimer, endTimer, returnFocusTo

  function schedule () {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    const now = Date.now()
    warnTimer = setTimeout(open, Math.max(0, endsAt - warnBefore - now))
    // A second after the end, so the server agrees it has ended: its own page says so.
    endTimer = setTimeout(() => window.location.assign(dialog.dataset.ended), endsAt - now + 1000)
  }

  function open () {
    if (dialog.open) return
    const endsAnyway = endsAnywayAt <= endsAt + 1000
    const idle = dialog.querySelector('#heard-time-limit-idle')
    const whatever = dialog.querySelector('#heard-time-limit-anyway')
    if (whatever) {
      idle.hidden = endsAnyway
      whatever.hidden = !endsAnyway
      dialog.setAttribute('aria-describedby', endsAnyway ? whatever.id : idle.id)
    }
    returnFocusTo = document.activeElement
    dialog.showModal() // the rest of the page is inert: focus stays in the dialog
    button.focus()
  }

  function close () {
    dialog.close()
    if (returnFocusTo && returnFocusTo.focus) returnFocusTo.focus()
  }

  async function carryOn () {
    close()
    try {
      const answer = await window.fetch(dialog.dataset.keepAlive, {
        method: 'POST',
        headers: { 'X-CSRFToken': dialog.dataset.csrf },
        credentials: 'same-origin',
        redirect: 'manual'
      })
      if (answer.status !== 204) {
        window.location.assign(dialog.dataset.ended) // over already: its page says so
        return
      }
      endsAt = Math.min(Date.now() + Number(dialog.dataset.endsIn) * 1000, endsAnywayAt)
      schedule()
    } catch {
      schedule() // offline for now: the next page will tell
    }
  }

  button.addEventListener('click', carryOn)
  const leave = dialog.querySelector('[data-time-limit-exit]')
  if (leave) leave.addEventListener('click', () => forget(() => true))
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return
    // Focus stays in the dialog: Tab and Shift+Tab go round its one or two controls.
    const controls = leave ? [button, leave] : [button]
    const at = controls.indexOf(document.activeElement)
    const next = (at + (event.shiftKey ? -1 : 1) + controls.length) % controls.length
    event.preventDefault()
    controls[at === -1 ? 0 : next].focus()
  })
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault() // Escape means Continue, as in GOV.UK's pattern
    carryOn()
  })
  // Timers wait while a phone sleeps: on waking, count again from the clock.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') schedule()
  })
  schedule()
}

keepTypedWords()
const dialog = document.getElementById('heard-time-limit')
if (dialog && typeof dialog.showModal === 'function') warnBeforeTheEnd(dialog)
// "Listen" on a family question page (issue 20): the browser's own speech reads the error (if
// any), the question, its hint and its options, in the page's language. Nothing is sent
// anywhere. The button (templates/family_forms/question.html) stays hidden unless this browser
// has a voice for that language; speaking never holds up the form.

// A block of its own: this file shares one module with the others (scripts/build-assets.sh).
{
  const listen = document.querySelector('[data-heard-listen]')
  const speech = window.speechSynthesis
  const Utterance = window.SpeechSynthesisUtterance
  const SAID = '.govuk-error-summary__title, .govuk-error-summary__list a, main form legend, ' +
    'main form label, main form .govuk-hint:not(.govuk-character-count__message)'
  const UNSEEN = '[hidden], .govuk-radios__conditional--hidden, ' +
    '.govuk-checkboxes__conditional--hidden'

  if (listen && speech && Utterance) {
    const words = listen.textContent.trim()
    const prefix = (lang) => lang.toLowerCase().split(/[-_]/)[0]
    const page = prefix(document.documentElement.lang)
    let voice = null
    let speaking = false
    let run = 0 // the reading under way; one stopped may still report its end

    const show = (on) => {
      speaking = on
      listen.textContent = on ? listen.dataset.stop : words
    }
    const stop = () => {
      run++
      speech.cancel()
      show(false)
    }
    const findVoice = () => {
      const voices = speech.getVoices().filter((v) => prefix(v.lang) === page)
      voice = voices.find((v) => v.default) || voices[0] || null
      listen.hidden = !voice
    }
    // What a reader sees, in order: the error, then the question, its hint and each option.
    const texts = () => [...document.querySelectorAll(SAID)]
      .filter((node) => !node.closest(UNSEEN))
      .map((node) => node.textContent.replace(/\s+/g, ' ').trim())
      .filter(Boolean)

    listen.addEventListener('click', () => {
      const reading = speaking
      stop()
      if (reading || !voice) return
      const parts = texts()
      const mine = run
      show(true)
      parts.forEach((text, at) => {
        const said = new Utterance(text)
        said.voice = voice
        said.lang = voice.lang.replace('_', '-') // some Android voices say en_GB
        if (at === parts.length - 1) {
          said.onend = said.onerror = () => mine === run && show(false)
        }
        speech.speak(said)
      })
    })
    // Moving on (a link, a form sent, the page left) stops it.
    document.addEventListener('click', (event) => {
      const link = event.target instanceof Element && event.target.closest('a[href]')
      if (link && !link.getAttribute('href').startsWith('#')) stop()
    })
    document.addEventListener('submit', stop)
    window.addEventListener('pagehide', stop)
    window.addEventListener('beforeunload', stop)
    speech.addEventListener('voiceschanged', findVoice)
    findVoice()
  }
}
