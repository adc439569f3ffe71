import { htmlPage, realPage } from './server';

/**
 * Pages the suite serves. Real pages come from the Readability corpus unchanged; the "changed
 * versions" are edits a site really makes between two visits (an editor's note added above, the HTML
 * re-flowed, a typo fixed, a paragraph cut).
 */

/** Medium's "On Behalf of “Literally”": one paragraph holds the passage the highlight tests use. */
export const LITERALLY = {
  source: () => realPage('medium-2'),
  passage: 'hearing the word “literally” used incorrectly causes a little piece of your soul to whither and die',
  /** The passage after the site fixed its typo. */
  fixedPassage: 'hearing the word “literally” used incorrectly causes a little piece of your soul to wither and die',
};

// The visible paragraph (the same words also sit in a JSON blob inside a <script>, left alone).
const PARAGRAPH = /<p name="1a73"[^>]*>[\s\S]*?<\/p>/;

function editParagraph(html: string, edit: (paragraph: string) => string): string {
  const match = PARAGRAPH.exec(html);
  if (!match) throw new Error('fixture paragraph not found in medium-2');
  return html.slice(0, match.index) + edit(match[0]) + html.slice(match.index + match[0].length);
}

export const literallyVariants = {
  textInsertedBefore: () =>
    editParagraph(
      LITERALLY.source(),
      (p) =>
        '<p class="graf--p"><em>Editor’s note: this essay was updated after publication to answer readers’ letters about the word.</em></p>' +
        p.replace('You either are', 'Reader, you either are'),
    ),
  whitespaceChanged: () => editParagraph(LITERALLY.source(), (p) => p.replace(LITERALLY.passage, LITERALLY.passage.replace(/ /g, '\n        '))),
  wordChanged: () => editParagraph(LITERALLY.source(), (p) => p.replace('whither', 'wither')),
  passageRemoved: () => editParagraph(LITERALLY.source(), () => ''),
};

/** A single-page app: links change the route with history.pushState and rewrite the content. */
export function spaPage(): string {
  return htmlPage(
    'Field notes — home',
    `<nav><a href="/spa/" data-route="home">Home</a> <a href="/spa/tides" id="to-tides" data-route="tides">Tides</a></nav>
<main id="view"><h1>Field notes</h1><p>Notes from a season spent walking the shore at low tide, counting crabs and lobsters under the kelp.</p></main>
<script>
const views = {
  home: ['Field notes — home', '<h1>Field notes</h1><p>Notes from a season spent walking the shore at low tide.</p>'],
  tides: ['Field notes — tides', '<h1>Tides</h1><p>Spring tides come twice a month, when the sun and moon pull in a line; neap tides fall between them.</p>'],
};
document.querySelector('nav').addEventListener('click', (e) => {
  const a = e.target.closest('a[data-route]');
  if (!a) return;
  e.preventDefault();
  const [title, html] = views[a.dataset.route];
  history.pushState({}, '', a.getAttribute('href'));
  document.title = title;
  document.getElementById('view').innerHTML = html;
});
</script>`,
  );
}

/** A sign-in form: the page a password manager would fill, and one nothing should capture. */
export function loginPage(): string {
  return htmlPage(
    'Sign in — Tidewater forum',
    `<main><h1>Sign in to the Tidewater forum</h1><p>Welcome back. Enter your name and password to join the discussion.</p>
<form><label>Account <input name="user" id="user"></label>
<label>Password <input type="password" name="password" id="password"></label><button type="button">Sign in</button></form></main>`,
  );
}

/** A page whose title and text carry markup that must show up as text, never run. */
export const HOSTILE = '<img src=x onerror="window.__calicoPwned=1">';
export function hostilePage(): string {
  const escaped = HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return htmlPage(
    `Barnacle report ${escaped}`,
    `<main><h1>Barnacle report</h1><p>Goose barnacles cling to driftwood ${escaped} and feed with feathery legs called cirri.</p>
<p>They were once thought to hatch into geese, which is how they got their name.</p></main>`,
  );
}

/** An article long enough for Readability to take (it skips pages under ~500 characters of text). */
export function articlePage(title: string, marker: string): string {
  const paragraphs = [
    `The harbour master keeps a ledger of every boat that leaves before dawn; this entry is ${marker}.`,
    'Lobster boats head out when the tide turns, hauling traps set along the ledges the day before. Each trap is checked, rebaited with herring and dropped again, and the catch is measured against the gauge on the gunwale.',
    'Egg-bearing females are notched on the tail and returned to the water, and so are the ones too small or too large to keep. The notch tells the next crew that this lobster has already given the fishery its eggs.',
    'By mid-morning the boats are back at the wharf, selling to the co-operative at a price chalked on a board outside the bait shed, and the talk turns to the weather for the next day.',
  ];
  return htmlPage(title, `<main><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></main>`);
}
