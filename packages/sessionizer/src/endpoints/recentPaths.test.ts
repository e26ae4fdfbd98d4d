import { RecentPaths } from './recentPaths';

describe('RecentPaths', () => {
  it('says a path was seen on its second sighting', () => {
    const recent = new RecentPaths(100);
    expect(recent.seenBefore('/a/1')).toBe(false);
    expect(recent.seenBefore('/a/2')).toBe(false);
    expect(recent.seenBefore('/a/1')).toBe(true);
  });

  it('forgets after its window, and rarely mistakes a new path for a seen one', () => {
    const recent = new RecentPaths(1000);
    let falsePositives = 0;
    for (let i = 0; i < 1000; i++) if (recent.seenBefore(`/users/${i}/orders`)) falsePositives++;
    expect(falsePositives).toBeLessThan(50);
    for (let i = 0; i < 1000; i++) recent.seenBefore(`/other/${i}`);
    expect(recent.seenBefore('/users/1/orders')).toBe(false);
  });
});
