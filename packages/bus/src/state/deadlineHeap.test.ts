// The deadline heap pops in deadline order whatever the push order.
import { DeadlineHeap } from './deadlineHeap';

describe('DeadlineHeap', () => {
  it('pops the least deadline held, interleaved with pushes', () => {
    const heap = new DeadlineHeap<string>();
    let state = 7;
    const random = (): number => (state = (Math.imul(state, 48271) >>> 0) % 2147483647) % 1000;
    const held: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 40; i++) {
        const deadline = random();
        heap.push(deadline, `item-${deadline}`);
        held.push(deadline);
      }
      held.sort((a, b) => a - b);
      for (let i = 0; i < 30; i++) {
        expect(heap.peek()).toBe(held[0]);
        expect(heap.pop()).toBe(`item-${held.shift()}`);
      }
    }
    while (held.length > 0) expect(heap.pop()).toBe(`item-${held.shift()}`);
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBe(Infinity);
  });
});
