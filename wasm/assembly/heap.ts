// Bounded top-k heap shared by the kernels: scores (f32) and rows (i32) in two parallel arrays in
// linear memory. The root is the worst kept result (lowest score; among equal scores the highest row),
// so ties keep the lower row index, like the JS references.

@inline
function worse(sa: f32, ra: i32, sb: f32, rb: i32): bool {
  return sa < sb || (sa == sb && ra > rb);
}

function siftDown(scores: usize, rows: usize, size: i32, start: i32): void {
  let i = start;
  while (true) {
    const l = 2 * i + 1;
    if (l >= size) break;
    let m = l;
    const r = l + 1;
    if (r < size && worse(load<f32>(scores + (<usize>r << 2)), load<i32>(rows + (<usize>r << 2)), load<f32>(scores + (<usize>l << 2)), load<i32>(rows + (<usize>l << 2)))) m = r;
    const sm = load<f32>(scores + (<usize>m << 2));
    const rm = load<i32>(rows + (<usize>m << 2));
    const si = load<f32>(scores + (<usize>i << 2));
    const ri = load<i32>(rows + (<usize>i << 2));
    if (!worse(sm, rm, si, ri)) break;
    store<f32>(scores + (<usize>m << 2), si);
    store<i32>(rows + (<usize>m << 2), ri);
    store<f32>(scores + (<usize>i << 2), sm);
    store<i32>(rows + (<usize>i << 2), rm);
    i = m;
  }
}

function siftUp(scores: usize, rows: usize, start: i32): void {
  let i = start;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const sp = load<f32>(scores + (<usize>p << 2));
    const rp = load<i32>(rows + (<usize>p << 2));
    const si = load<f32>(scores + (<usize>i << 2));
    const ri = load<i32>(rows + (<usize>i << 2));
    if (!worse(si, ri, sp, rp)) break;
    store<f32>(scores + (<usize>p << 2), si);
    store<i32>(rows + (<usize>p << 2), ri);
    store<f32>(scores + (<usize>i << 2), sp);
    store<i32>(rows + (<usize>i << 2), rp);
    i = p;
  }
}

/** Offers (score, row) to a heap of `size` (capacity k); returns the new size. */
@inline
export function offer(outScores: usize, outRows: usize, size: i32, k: i32, score: f32, row: i32): i32 {
  if (size < k) {
    store<f32>(outScores + (<usize>size << 2), score);
    store<i32>(outRows + (<usize>size << 2), row);
    siftUp(outScores, outRows, size);
    return size + 1;
  }
  if (worse(load<f32>(outScores), load<i32>(outRows), score, row)) {
    store<f32>(outScores, score);
    store<i32>(outRows, row);
    siftDown(outScores, outRows, size, 0);
  }
  return size;
}

/** Heap-sorts in place: repeatedly moves the worst to the end, leaving the arrays best first. */
export function sortBestFirst(outScores: usize, outRows: usize, size: i32): void {
  for (let end = size - 1; end > 0; end--) {
    const s0 = load<f32>(outScores);
    const r0 = load<i32>(outRows);
    store<f32>(outScores, load<f32>(outScores + (<usize>end << 2)));
    store<i32>(outRows, load<i32>(outRows + (<usize>end << 2)));
    store<f32>(outScores + (<usize>end << 2), s0);
    store<i32>(outRows + (<usize>end << 2), r0);
    siftDown(outScores, outRows, end, 0);
  }
}
