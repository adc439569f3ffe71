import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences';
import { citationMarks, claimText } from './citations';
import { contentWords, namesIn, numbersIn, stem } from './words';

describe('splitSentences', () => {
  it('splits with offsets, keeps abbreviations and initials inside, and gives leading markers back', () => {
    const text = 'Dr. Smith found it in 2019 [1]. The arm tastes.[2] It is 3.5 m long [3].\n- a list item [4]\n- another one';
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(['Dr. Smith found it in 2019 [1].', 'The arm tastes.[2]', 'It is 3.5 m long [3].', '- a list item [4]', '- another one']);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
    const moved = splitSentences('Octopuses taste with their arms. [1] Cuttlefish see.');
    expect(moved.map((x) => x.text)).toEqual(['Octopuses taste with their arms. [1]', 'Cuttlefish see.']);
  });
});

describe('citations and words', () => {
  it('finds [n], [n][m] and [n, m] markers with offsets', () => {
    const text = 'A [1][2] and B [3, 4].';
    expect(citationMarks(text).map((m) => m.n)).toEqual([1, 2, 3, 4]);
    const m = citationMarks(text)[2]!;
    expect(text.slice(m.start, m.end)).toBe('[3, 4]');
    expect(claimText('- **Octopuses** taste [1].')).toBe('Octopuses taste .');
  });

  it('stems inflections together, keeps numbers and names', () => {
    expect(stem('tasting')).toBe(stem('tastes'));
    expect(stem('stopped')).toBe(stem('stop'));
    expect(stem('studies')).toBe(stem('study'));
    expect(contentWords('The octopus is tasting with its arms')).toEqual(['octopus', stem('tasting'), 'arm']);
    expect(numbersIn('In 2019, 1,200 of them grew 3.50 cm (12%).')).toEqual(['2019', '1200', '3.5', '12']);
    expect(namesIn('Researchers at Stanford and Jane Goodall agree.')).toEqual([stem('Stanford'), stem('Jane'), stem('Goodall')]);
  });
});
