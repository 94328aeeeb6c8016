// "Listen" on a family question page (issue 20): the browser's own speech reads the error (if
// any), the question, its hint and its options, in the page's language. Nothing is sent
// anywhere: only a voice on the device (localService) is used. The button
// (templates/family_forms/question.html) stays hidden unless this browser has such a voice for
// that language; speaking never holds up the form.

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
      // A voice on the phone only: a network voice (Chrome's "Google …") sends the words away.
      const voices = speech.getVoices()
        .filter((v) => v.localService && prefix(v.lang) === page)
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
