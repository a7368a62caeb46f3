/** A clock that only moves when the code under test sleeps: deadlines without real waiting. */
export function fakeClock(start = Date.parse('2026-11-22T03:05:10.000Z')) {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    advance: (ms: number) => {
      time += ms;
    },
    sleeps,
  };
}
