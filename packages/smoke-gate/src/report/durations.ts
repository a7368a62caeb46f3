/** `2.4 s`: a duration in seconds, one decimal. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `42 s ago`, then `5 min ago` from two minutes on. */
export const ago = (ms: number): string =>
  ms < 120_000 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60_000)} min ago`;
