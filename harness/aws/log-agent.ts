import { randomUUID } from 'node:crypto';
import {
  type CloudWatchLogsClient,
  CreateLogStreamCommand,
  type InputLogEvent,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';

/** A log stream name as Lambda makes them: `YYYY/MM/DD/[<version>]<32 hex>`. */
export const lambdaStreamName = (version = '$LATEST', now = new Date()): string =>
  `${now.toISOString().slice(0, 10).replaceAll('-', '/')}/[${version}]${randomUUID().replaceAll('-', '')}`;

/** Lambda's log agent, played against a CloudWatch Logs stand-in (moto). */
export interface LogAgent {
  /** The stream it writes to, once it has written. */
  stream(): string | undefined;
  /** Ships events in timestamp order into one stream of the group (created on first use). */
  ship(events: InputLogEvent[]): Promise<void>;
}

/**
 * Plays Lambda's log agent: creates one log stream in the group on first use, as Lambda does
 * per execution environment, and puts the function's lines into it. Shared by the route
 * stand-in, the verifier's moto suite and the bench. Not proven by it: the agent's real batching
 * and ingestion delay (the caller injects a delay where it matters).
 */
export function createLogAgent(options: {
  logs: CloudWatchLogsClient;
  logGroupName: string;
  streamName?: string;
}): LogAgent {
  let stream: string | undefined;
  return {
    stream: () => stream,
    async ship(events) {
      if (events.length === 0) return;
      if (stream === undefined) {
        const name = options.streamName ?? lambdaStreamName();
        await options.logs.send(
          new CreateLogStreamCommand({ logGroupName: options.logGroupName, logStreamName: name }),
        );
        stream = name;
      }
      await options.logs.send(
        new PutLogEventsCommand({
          logGroupName: options.logGroupName,
          logStreamName: stream,
          logEvents: [...events].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0)),
        }),
      );
    },
  };
}
