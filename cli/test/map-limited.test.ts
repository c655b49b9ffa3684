// The CLI's fleet reader keeps at most --concurrency clusters in flight (the emulator's request log
// cannot show this: per cluster some reads overlap, so this counts in-flight calls directly).
import { mapLimited } from "../src/map-limited";

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("mapLimited", () => {
  it.each([1, 3, 16])(
    "keeps at most %i calls in flight and returns results in input order",
    async (limit) => {
      let inFlight = 0;
      let most = 0;
      const items = Array.from({ length: 40 }, (_, i) => i);
      const results = await mapLimited(items, limit, async (item) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await tick(item % 3); // finish out of order
        inFlight -= 1;
        return item * 2;
      });
      expect(most).toBe(limit);
      expect(results).toEqual(items.map((i) => i * 2));
    },
  );

  it("runs nothing for no items, and no more workers than items", async () => {
    let calls = 0;
    expect(await mapLimited([], 8, async () => ++calls)).toEqual([]);
    expect(await mapLimited(["a", "b"], 8, async (x) => `${x}${++calls}`)).toEqual(["a1", "b2"]);
  });
});
