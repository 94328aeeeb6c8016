// The one script every page loads: scripts/build-assets.sh bundles it with esbuild, with the
// GOV.UK Frontend components it imports and nothing else, into one fingerprinted file.
import './init.mjs'
// The warning before a time limit, and words typed kept in the page (issue 22)
import './time-limit.mjs'
// The Listen button: the page's question read aloud by the browser's own speech
import './listen.mjs'
