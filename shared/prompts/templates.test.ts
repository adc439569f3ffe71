import { describe, expect, it } from 'vitest';
import { WRITE_ACTIONS } from '../schemas/cloud';
import { fnv1a } from '../datasets/export';
import { TEMPLATE_SAMPLES } from './template-builders';
import { TEMPLATES, templateKey, writeTemplate, type TemplateId } from './templates';

/**
 * The version guard of the templates the worker records (ask-sources, write.*) and the synthetic-data
 * one: a fingerprint of each builder's output on a fixed input, keyed by "id@version". Changing a
 * prompt's wording fails here until its version in templates.ts is raised and its line below replaced,
 * so a template version in the monitoring samples, the feedback and the exports always means one wording.
 */
const FINGERPRINTS: Record<string, string> = {
  'ask-sources@1': 'd8308d1e',
  'synthetic-qa@1': '3a2707eb',
  'write.improve@1': '2ba59487',
  'write.tone@1': '22757199',
  'write.summarize@1': '51fe1fee',
  'write.explain@1': 'bd559aa3',
  'write.outline-to-prose@1': 'f2c700ce',
};

describe('prompt template versions', () => {
  it('every template id is its own key, with a positive version', () => {
    for (const [key, ref] of Object.entries(TEMPLATES)) {
      expect(ref.id).toBe(key);
      expect(ref.version).toBeGreaterThanOrEqual(1);
    }
  });

  it('every writing action the worker runs has a versioned template', () => {
    for (const action of WRITE_ACTIONS) expect(TEMPLATES[writeTemplate(action).id as TemplateId]).toEqual(writeTemplate(action));
  });

  it('a wording change comes with a new version', () => {
    const actual = Object.fromEntries(
      Object.keys(FINGERPRINTS).map((key) => {
        const id = key.split('@')[0] as TemplateId;
        return [`${templateKey(TEMPLATES[id])}`, fnv1a(JSON.stringify(TEMPLATE_SAMPLES[id]!())).toString(16)];
      }),
    );
    expect(actual).toEqual(FINGERPRINTS);
  });
});
