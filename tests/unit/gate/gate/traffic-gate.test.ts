import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  runTrafficGate,
  type TrafficVerification,
  trafficAfterDeploy,
} from '../../../../packages/smoke-gate/src/gate/traffic-gate.ts';
import { formatReport } from '../../../../packages/smoke-gate/src/report/report.ts';
import { claimText } from '../../../../packages/smoke-gate/src/traffic/candidate-claim.ts';
import type { TrafficStage } from '../../../../packages/smoke-gate/src/traffic/traffic-stage.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

const passedReport = { ...failedReport, ok: true, verdict: 'verified' as const };

import type { VerificationOutcome } from '../../../../packages/smoke-gate/src/verification/run-verification.ts';

const lambda = mockClient(LambdaClient);
const notFound = Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });

const STAGE: TrafficStage = {
  functionName: 'svc-dev-health',
  candidateUrl: 'https://api.example/candidate/health',
  invokers: [
    {
      principal: 'apigateway.amazonaws.com',
      sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/*',
    },
  ],
};

const NOW = Date.parse('2026-12-07T03:00:00.000Z');
const CLAIM = { run: 'run-1', staleAfterMs: 60_000, now: () => NOW };
const OURS = claimText({ run: 'run-1', since: NOW });

const PASS: VerificationOutcome = { exitCode: 0 };
const FAIL: VerificationOutcome = { exitCode: 1 };

/** Runs the traffic mode with verifications that answer `verdicts` in turn. */
async function run(
  verdicts: VerificationOutcome[],
  options: { printReports?: boolean; watched?: boolean } = {},
) {
  const asked: TrafficVerification[] = [];
  const notices: string[] = [];
  const steps: unknown[] = [];
  const result = await runTrafficGate(
    {
      lambda: new LambdaClient({ region: 'us-east-1' }),
      log: { notice: (text) => notices.push(text) },
      deadline: createDeadline(Date.now() + 10_000),
      printReports: options.printReports ?? false,
      verify: async (request) => {
        asked.push(request);
        return verdicts[asked.length - 1] ?? PASS;
      },
      ...(options.watched === false ? {} : { onStep: (step: unknown) => steps.push(step) }),
      claim: CLAIM,
    },
    STAGE,
    0,
  );
  return { result, asked, notices, steps };
}

/** The versions `live` was moved to, in order. */
const liveMoves = () =>
  lambda
    .commandCalls(UpdateAliasCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.Name === 'live')
    .map((input) => input.FunctionVersion);

beforeEach(() => {
  lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'abc=' });
  lambda.on(PublishVersionCommand).resolves({ Version: '8', CodeSha256: 'abc=' });
  lambda.on(GetAliasCommand, { Name: 'live' }).resolves({ FunctionVersion: '7' });
  // No candidate until this gate claims it; then it holds this gate's claim.
  lambda
    .on(GetAliasCommand, { Name: 'candidate' })
    .rejectsOnce(notFound)
    .resolves({ FunctionVersion: '8', Description: OURS });
  lambda.on(CreateAliasCommand).resolves({});
  lambda.on(DeleteAliasCommand).resolves({});
  lambda.on(UpdateAliasCommand).resolves({});
  lambda.on(GetPolicyCommand).rejects(notFound);
  lambda.on(AddPermissionCommand).resolves({});
});
afterEach(() => lambda.reset());

describe('runTrafficGate', () => {
  it('proves the new version on the candidate stage, by its own log stream, before live moves', async () => {
    // Act
    const { result, asked, steps } = await run([PASS, PASS]);
    // Assess
    expect(steps).toStrictEqual([
      { step: 'verifying-candidate', version: '8', live: '7' },
      { step: 'verifying-promoted', version: '8', live: '7' },
    ]);
    expect(asked).toStrictEqual([
      { startedFrom: 0, url: STAGE.candidateUrl, version: '8' },
      { startedFrom: expect.any(Number), version: '8' },
    ]);
    expect(liveMoves()).toStrictEqual(['8']);
    expect(result).toMatchObject({
      version: '8',
      liveBefore: '7',
      promoted: true,
      movedBack: false,
    });
    expect(
      lambda.commandCalls(AddPermissionCommand).map((c) => c.args[0].input.Qualifier),
    ).toStrictEqual(['candidate', 'live']);
  });

  it('leaves live where it was when the candidate fails, and says no caller reached it', async () => {
    // Act
    const { result, asked, notices } = await run([FAIL]);
    // Assess
    expect(asked).toHaveLength(1);
    expect(liveMoves()).toStrictEqual([]);
    expect(result.outcome).toBe(FAIL);
    expect(result.note).toBe('no caller reached version 8: live still serves version 7.');
    expect(notices.at(-1)).toBe(
      'Traffic mode: version 8 did not pass on the candidate stage; no caller reached version 8: live still serves version 7.',
    );
  });

  it('on a first deploy that fails, says the public route answers 500 until a version passes', async () => {
    // Prepare
    lambda.on(GetAliasCommand, { Name: 'live' }).rejects(notFound);
    // Act
    const { result } = await run([FAIL]);
    // Assess
    // live is never made for a version that did not pass.
    expect(lambda.commandCalls(CreateAliasCommand).map((c) => c.args[0].input.Name)).toStrictEqual([
      'candidate',
    ]);
    expect(result.note).toBe(
      'no caller reached version 8: there is no live alias yet, so the public route answers 500 Internal Server Error until a version passes (docs/traffic.md).',
    );
  });

  it('moves live back in one update when the public route fails after promotion', async () => {
    // Act
    const { result } = await run([PASS, FAIL]);
    // Assess
    expect(liveMoves()).toStrictEqual(['8', '7']);
    expect(result).toMatchObject({ promoted: true, movedBack: true, outcome: FAIL });
    expect(result.note).toBe(
      'version 8 passed on the candidate stage but not on the public route: live moved back to version 7 in one alias update.',
    );
  });

  it('keeps the only version it has when the first promotion fails on the public route', async () => {
    // Prepare
    lambda.on(GetAliasCommand, { Name: 'live' }).rejects(notFound);
    // Act
    const { result } = await run([PASS, FAIL]);
    // Assess
    expect(result).toMatchObject({ promoted: true, movedBack: false, liveBefore: undefined });
    expect(result.note).toMatch(
      /there is no earlier version to return to: live stays on version 8\.$/,
    );
  });
});

describe('runTrafficGate: what it says', () => {
  it('says live stays where it is while the candidate is checked, then that it moved', async () => {
    // Act
    const { notices } = await run([PASS, PASS]);
    // Assess
    expect(notices).toStrictEqual([
      'Traffic mode: version 8 is on the candidate stage; live stays on version 7 unless it passes there.',
      'Traffic mode: live moved to version 8 from version 7 in one alias update; verifying the public route.',
    ]);
  });

  it('says a first version makes live only when it passes', async () => {
    // Prepare
    lambda.on(GetAliasCommand, { Name: 'live' }).rejects(notFound);
    // Act
    const { notices } = await run([PASS, PASS]);
    // Assess
    expect(notices).toStrictEqual([
      'Traffic mode: version 8 is on the candidate stage; no live alias exists yet: it is made only when a version passes there.',
      'Traffic mode: live moved to version 8 in one alias update; verifying the public route.',
    ]);
  });

  it('prints the candidate’s report when reports are printed', async () => {
    // Act
    const { notices } = await run([{ exitCode: 0, report: passedReport }, PASS], {
      printReports: true,
    });
    // Assess
    expect(notices[1]).toBe(formatReport(passedReport).trimEnd());
  });

  it('prints no report of its own under --json (reports not printed)', async () => {
    const { notices } = await run([{ exitCode: 0, report: passedReport }, PASS]);
    expect(notices).not.toContain(formatReport(passedReport).trimEnd());
  });

  it('says when it took over a claim a dead gate left', async () => {
    // Prepare
    lambda
      .on(GetAliasCommand, { Name: 'candidate' })
      .resolvesOnce({
        FunctionVersion: '6',
        Description: claimText({ run: 'dead-1', since: NOW - 120_000 }),
      })
      .resolves({ FunctionVersion: '8', Description: OURS });
    // Act
    const { notices } = await run([PASS, PASS]);
    // Assess
    expect(notices[0]).toBe(
      'Traffic mode: took over the candidate stage from run dead-1, whose claim had gone stale (a gate that died).',
    );
  });

  it('runs without anyone watching its steps', async () => {
    const { result } = await run([PASS, PASS], { watched: false });
    expect(result.promoted).toBe(true);
  });

  it('says so when the candidate alias cannot be removed, and keeps its verdict', async () => {
    // Prepare
    lambda
      .on(DeleteAliasCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const { result, notices } = await run([FAIL]);
    // Assess
    expect(result.outcome).toBe(FAIL);
    expect(
      notices.some((n) =>
        /the candidate alias could not be removed \(.*lambda:DeleteAlias.*\); the candidate stage still reaches version 8\./.test(
          n,
        ),
      ),
    ).toBe(true);
  });
});

describe('trafficAfterDeploy', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  afterEach(() => cloudFormation.reset());

  /** The stack's outputs in the traffic mode, as DescribeStacks answers them. */
  const trafficStack = () =>
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'svc-dev',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'SmokeGateFunctionName', OutputValue: STAGE.functionName },
            { OutputKey: 'SmokeGateCandidateUrl', OutputValue: STAGE.candidateUrl },
          ],
        },
      ],
    });

  const deployed = (custom: unknown, verdicts: VerificationOutcome[] = [PASS, PASS]) =>
    trafficAfterDeploy(
      {
        framework: { custom, stack: 'svc-dev' },
        aws: { region: 'us-east-1' },
        log: { notice: () => undefined },
        deadline: createDeadline(Date.now() + 10_000),
        printReports: false,
        verify: async () => verdicts.shift() ?? PASS,
      },
      0,
    );

  it('does nothing for a service that deploys all at once', async () => {
    expect(await deployed({ smokeTest: { traffic: false } })).toBeUndefined();
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('reads the stage from the stack’s outputs and promotes a passing version', async () => {
    // Prepare
    trafficStack();
    // Act
    const done = await deployed({ smokeTest: { traffic: true } });
    // Assess
    expect(done?.result).toMatchObject({ version: '8', promoted: true });
    expect(liveMoves()).toStrictEqual(['8']);
  });

  it('says live moved when an error comes after the promotion', async () => {
    // Prepare: the public route fails, and moving live back is refused.
    trafficStack();
    lambda
      .on(UpdateAliasCommand, { Name: 'live', FunctionVersion: '7' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const done = await deployed({ smokeTest: { traffic: true } }, [PASS, FAIL]);
    // Assess
    expect(done?.outcome.exitCode).toBe(2);
    expect(done?.outcome.error).toMatch(/; live was moved to version 8 before this error$/);
  });

  it('could not judge (exit 2) a stack without the traffic outputs, and says live did not move', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'svc-dev', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE' }],
    });
    // Act
    const done = await deployed({ smokeTest: { traffic: true } });
    // Assess
    expect(done?.outcome).toStrictEqual({
      exitCode: 2,
      error:
        'traffic mode: stack svc-dev has no SmokeGateCandidateUrl output though custom.smokeTest.traffic is on; live was not moved by this deploy',
    });
    expect(liveMoves()).toStrictEqual([]);
  });
});
