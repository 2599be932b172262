export interface Scored {
  id: number;
  score: number;
}

/**
 * The k best of a stream in a binary min-heap: O(n log k) and no sort of everything.
 * Ties keep the lower id, so results are stable across runs.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.scores = new Float64Array(Math.max(1, capacity));
  }

  offer(id: number, score: number): void {
    if (this.capacity <= 0) return;
    if (this.size < this.capacity) {
      this.ids[this.size] = id;
      this.scores[this.size] = score;
      this.siftUp(this.size++);
    } else if (this.beats(id, score, 0)) {
      this.ids[0] = id;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** Best first. */
  sorted(): Scored[] {
    const result: Scored[] = [];
    for (let i = 0; i < this.size; i++) result.push({ id: this.ids[i]!, score: this.scores[i]! });
    return result.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /** Whether (id, score) ranks above the entry at heap slot `slot`. */
  private beats(id: number, score: number, slot: number): boolean {
    const other = this.scores[slot]!;
    return score > other || (score === other && id < this.ids[slot]!);
  }

  private siftUp(slot: number): void {
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!this.beats(this.ids[parent]!, this.scores[parent]!, slot)) break;
      this.swap(slot, parent);
      slot = parent;
    }
  }

  private siftDown(slot: number): void {
    for (;;) {
      const left = 2 * slot + 1;
      const right = left + 1;
      let worst = slot;
      if (left < this.size && !this.beats(this.ids[left]!, this.scores[left]!, worst)) worst = left;
      if (right < this.size && !this.beats(this.ids[right]!, this.scores[right]!, worst)) worst = right;
      if (worst === slot) return;
      this.swap(slot, worst);
      slot = worst;
    }
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a]!;
    const score = this.scores[a]!;
    this.ids[a] = this.ids[b]!;
    this.scores[a] = this.scores[b]!;
    this.ids[b] = id;
    this.scores[b] = score;
  }
}
