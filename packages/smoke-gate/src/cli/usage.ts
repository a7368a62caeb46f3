import { VERIFY_DEFAULTS as D } from '../core/defaults.ts';

/** `petsage-smoke --help`. */
export const USAGE = `Usage: petsage-smoke verify (--url <url> --log-group <name> | --stage <stage> | --local) [options]
       petsage-smoke verify (--stage <stage>... [--region <region>...] | --targets <file>) [options]
       petsage-smoke status (--stage <stage>... [--region <region>...] | --targets <file>) [options]
       petsage-smoke history --stage <stage> [options]

Proves a deploy works end to end: calls the health route with a fresh correlation id, then waits
for the function's structured log line with that id in CloudWatch Logs. Whatever the endpoint, the
log service or the clock do, it ends by its deadline with one of the exit codes below.

status reads a stage's continuous health: the heartbeat and failure alarms' states and the age
of the last heartbeat line (exit 0 healthy, 1 alarming or stale, 2 could not tell).

history lists the deployments still in the stage's deployment bucket, newest first: time,
commit, version, the gate's verdict, which one is live and which one a rollback would return to
now (exit 0, or 2 when it could not be read). Roll back to a commit with the framework:
serverless rollback --stage <stage> --commit <sha or prefix> (verified afterwards, like --timestamp).

Many targets, one run: every --stage in every --region, or the entries of --targets <file>
(YAML or JSON: a targets: list of {name?, stage, region?, service?} or {name?, url, logGroup,
region?}, at most ${D.maxTargets}). All run under the one deadline, route calls ${D.targetConcurrency} at a time, and
CloudWatch Logs calls share one budget per region (--logs-rate). One table, one JSON entry and
one JUnit suite per target; exit 1 if any failed, else 2 if any could not be judged, else 0.

Target (one of):
  --url <url>            full URL of the health route, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/health
                         (no user:password@; the query string is redacted wherever the URL is printed)
  -s, --stage <stage>    read the URL and log group from the outputs of stack <service>-<stage>
                         (CloudFormation DescribeStacks); --url and --log-group override them
  --local                start serverless-offline on free ports and verify against its output
                         (the route path from serverless.yml; --path <path> overrides it)

Options:
  --log-group <name>     log group to search (default: stack output HealthLogGroupName, else
                         /aws/lambda/<service>-<stage>-health)
  --service <name>       service name (default ${D.service})
  -r, --region <region>  AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region);
                         repeat it to verify each --stage in each region; with --targets, the
                         region of entries that name none
  --targets <file>       verify (or status) every target the file lists
  --logs-rate <n>        CloudWatch Logs calls per second per region, shared by all targets there,
                         1-${D.maxLogsRatePerSecond} (default ${D.logsRatePerSecond})
  --profile <name>       AWS profile (alias --aws-profile; default: AWS_PROFILE / the SDK chain)
  --endpoint-url <url>   CloudWatch Logs and CloudFormation endpoint, e.g. a local moto (default:
                         AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / _CLOUDFORMATION, AWS_ENDPOINT_URL, else AWS)
  --timeout <seconds>    one deadline for the whole run, ${D.minTimeoutSeconds}-${D.maxTimeoutSeconds} (default ${D.timeoutSeconds})
  --stale-after <min>    status: the last heartbeat may be this old (default ${D.staleAfterMinutes})
  --json                 print exactly one JSON object on stdout; progress goes to stderr
  --junit <file>         also write JUnit XML (checked writable first; written on errors too;
                         one testsuite per target)

When GITHUB_STEP_SUMMARY is set (GitHub Actions), verify appends its table to the job summary.
  -h, --help             this help
  -v, --version          the version

Exit codes:
  0  verified: the route answered the contract and its log line arrived
  1  verification failed: endpoint down or wrong answer, or the log line missing by the deadline
     while CloudWatch Logs answered
  2  could not judge: bad or missing arguments, malformed URL, unknown region, no credentials,
     access denied, log group or stack not found, a lookup that outran the deadline, or the log
     service throttled or unreachable to the end

IAM permissions: logs:FilterLogEvents on the log group; cloudformation:DescribeStacks with --stage;
cloudwatch:DescribeAlarms for status; cloudformation:GetTemplate, s3:ListBucket and s3:GetObject on
the deployment bucket for history.
`;
