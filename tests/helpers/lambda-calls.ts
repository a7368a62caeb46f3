// What the traffic modules' unit tests share: a Lambda client (its calls answered by
// aws-sdk-client-mock in each test), a call's deadline, an AWS error by name, and names.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createDeadline } from '../../packages/smoke-gate/src/core/deadline.ts';

/** A Lambda client; each test answers its calls with mockClient(LambdaClient). */
export const lambdaClient = () => new LambdaClient({ region: 'us-east-1' });

/** A call's deadline, with room. */
export const callDeadline = () => createDeadline(Date.now() + 10_000);

/** An AWS SDK error as Lambda answers it: its name is the error code. */
export const awsError = (name: string) => Object.assign(new Error(name), { name });

/** The gated function, and the HTTP API that may invoke it. */
export const FUNCTION_NAME = 'svc-dev-health';
export const API_SOURCE_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/*';
