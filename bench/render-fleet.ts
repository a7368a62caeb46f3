import type { FleetFigures } from './measure-fleet.ts';

/**
 * The account-regions of a run over many accounts side by side: a row per account, a column per
 * region, each cell the stand-in's count there (peak calls in any second, calls, throttled).
 */
export function fleetPlacesTable(run: FleetFigures | undefined): string {
  if (run === undefined) return 'No run over many accounts was measured.';
  const accounts = [...new Set(run.places.map((p) => p.account))].sort();
  const regions = [...new Set(run.places.map((p) => p.region))].sort();
  const cell = (account: string, region: string) => {
    const place = run.places.find((p) => p.account === account && p.region === region);
    return place === undefined
      ? 'no calls'
      : `${place.targets} targets: peak ${place.peakCallsPerSecond}/s, ${place.calls} calls, ${place.throttled} throttled`;
  };
  return [
    `${run.targets} targets over ${run.accounts} accounts x ${run.regions} regions, each account-region at the stand-in (budget ${run.budgetPerSecond}/s each):`,
    '',
    `| account | ${regions.join(' | ')} |`,
    `| --- | ${regions.map(() => '---').join(' | ')} |`,
    ...accounts.map((a) => `| ${a} | ${regions.map((r) => cell(a, r)).join(' | ')} |`),
  ].join('\n');
}
