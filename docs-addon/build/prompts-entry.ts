/**
 * What the Docs add-on needs of shared/prompts, bundled by build/build-prompts.mjs into
 * src/prompts.generated.js as the global `CalicoPrompts` (Apps Script runs plain JavaScript and cannot
 * import TypeScript), so the add-on sends exactly the extension's prompts with the same template versions.
 */
export { buildActionPrompt, ACTION_TONES, MAX_ACTION_TEXT } from '../../shared/prompts/actions';
export { TEMPLATES, templateKey } from '../../shared/prompts/templates';
