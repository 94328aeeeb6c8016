// A drawing pad for the Three Houses (issue 20): draw with a finger, a pen or a mouse; a few
// colours, an eraser, undo and clear. Loaded only on the pages that draw
// (templates/family_forms/_drawing.html); without JavaScript the pad stays hidden and the form
// works as before. The picture goes, as a PNG data URL, into the hidden field sent with the
// answer's own form (and its CSRF token): nothing is sent anywhere else. The server checks,
// cleans and seals it (portal/family_forms/drawings.py).
const pad = document.querySelector('[data-heard-draw]')
const field = document.getElementById('drawing-data')
const canvas = pad && pad.querySelector('canvas')
const context = canvas && canvas.getContext && canvas.getContext('2d')

if (pad && field && context) {
  const PAPER = '#ffffff'
  const strokes = [] // each {colour, width, points: [[x, y], ...]}: undo draws them again
  let base = null // a drawing sent back with the page (a mistake elsewhere on the form)
  let colour = '#0b0c0c'
  let erasing = false
  let current = null

  const paint = () => {
    context.fillStyle = PAPER
    context.fillRect(0, 0, canvas.width, canvas.height)
    if (base) context.drawImage(base, 0, 0, canvas.width, canvas.height)
    for (const stroke of strokes) line(stroke)
  }

  const line = (stroke) => {
    const [first, ...rest] = stroke.points
    context.strokeStyle = context.fillStyle = stroke.colour
    context.lineWidth = stroke.width
    context.lineCap = context.lineJoin = 'round'
    context.beginPath()
    context.moveTo(first[0], first[1])
    if (!rest.length) {
      // a tap is a dot
      context.arc(first[0], first[1], stroke.width / 2, 0, 2 * Math.PI)
      context.fill()
      return
    }
    for (const [x, y] of rest) context.lineTo(x, y)
    context.stroke()
  }

  // The field holds the picture while there is one, and nothing once it is cleared.
  const save = () => {
    field.value = strokes.length || base ? canvas.toDataURL('image/png') : ''
  }

  const at = (event) => {
    const box = canvas.getBoundingClientRect()
    return [
      Math.round(((event.clientX - box.left) * canvas.width) / box.width),
      Math.round(((event.clientY - box.top) * canvas.height) / box.height)
    ]
  }

  canvas.addEventListener('pointerdown', (event) => {
    event.preventDefault()
    canvas.setPointerCapture(event.pointerId)
    current = {
      colour: erasing ? PAPER : colour,
      width: erasing ? 40 : 8,
      points: [at(event)]
    }
    strokes.push(current)
    line(current)
    const remove = document.getElementById('remove_drawing')
    if (remove) remove.checked = false // a new picture takes the kept one's place
  })
  canvas.addEventListener('pointermove', (event) => {
    if (!current) return
    const point = at(event)
    const last = current.points[current.points.length - 1]
    current.points.push(point)
    line({ ...current, points: [last, point] })
  })
  const end = () => {
    if (!current) return
    current = null
    save()
  }
  canvas.addEventListener('pointerup', end)
  canvas.addEventListener('pointercancel', end)

  const tools = pad.querySelectorAll('[aria-pressed]')
  for (const tool of tools) {
    tool.addEventListener('click', () => {
      for (const other of tools) other.setAttribute('aria-pressed', String(other === tool))
      erasing = tool.hasAttribute('data-eraser')
      if (!erasing) colour = tool.dataset.colour
    })
  }
  pad.querySelector('[data-undo]').addEventListener('click', () => {
    if (strokes.length) strokes.pop()
    else base = null
    paint()
    save()
  })
  pad.querySelector('[data-clear]').addEventListener('click', () => {
    strokes.length = 0
    base = null
    paint()
    save()
  })

  paint()
  pad.hidden = false
  // A drawing sent back with the page: decoded here, since the content security policy lets
  // no image load from a data: URL.
  const sent = field.value.split(',')[1]
  if (sent && window.createImageBitmap) {
    const bytes = Uint8Array.from(window.atob(sent), (c) => c.charCodeAt(0))
    window
      .createImageBitmap(new window.Blob([bytes], { type: 'image/png' }))
      .then((image) => {
        base = image
        paint()
      })
      .catch(() => {
        field.value = ''
      })
  }
}
