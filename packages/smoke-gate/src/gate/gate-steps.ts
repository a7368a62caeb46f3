// The words the gate's steps share: the stage the framework runs, as plain values (the plugin
// reads them from the framework's object in plugin/framework-stage.ts; nothing in gate/ sees that
// object, so every step runs in a test without a framework), what started the gate and where it is.

import type { AwsSettings } from '../aws/aws-clients.ts';
import type { RecordedVerdict } from '../core/verdicts.ts';
import type { TemplateResources } from '../deployments/build-stamp.ts';
import type { StagePlace } from '../deployments/deployment-books.ts';
import type { DeploymentIdentity } from '../deployments/deployment-record.ts';

/** What the framework's deploy step left behind, read once it ended. */
export interface DeployedState {
  /** `serverless/<service>/<stage>/<directory>`, the folder this deploy uploaded. */
  artifactDirectoryName: string | undefined;
  /** The framework found nothing to deploy ("No changes to deploy"). */
  shouldNotDeploy: boolean;
  /** The compiled template's resources (its function carries the build stamp). */
  resources: TemplateResources | undefined;
}

/** One stage of one service, as the framework runs it. */
export interface FrameworkStage {
  service: string;
  stage: string;
  /** The region, when the framework names one (else the SDK's own chain decides). */
  region: string | undefined;
  stack: string;
  /** The service's `custom` section (custom.smokeTest is read from it). */
  custom: unknown;
  /** Where the stage's records are: bucket, prefix, stack and records key. */
  place: StagePlace;
  /** The framework's AWS settings (region, credentials, endpoint). */
  aws(): Promise<AwsSettings>;
  /** What the deploy step left behind. */
  deployed(): DeployedState;
  /** The framework's own `rollback` lifecycle, when it lets a plugin run it. */
  spawnRollback: (() => Promise<unknown>) | undefined;
}

/** Where the verification runs from: `serverless smoke`, after `deploy`, `deploy function` or `rollback`. */
export type SmokeTrigger = 'command' | 'deploy' | 'deploy-function' | 'rollback';

/** Where the gate is, as the interruption block tells it. */
export type GateStep =
  | { step: 'verifying' }
  /** The verification has its verdict; nothing has acted on it yet (record, rollback). */
  | { step: 'judged'; verdict: RecordedVerdict }
  | { step: 'rolling-back'; to: string }
  /** The traffic mode: the version is on the candidate stage only; `live` is where it was. */
  | { step: 'verifying-candidate'; version: string; live: string | undefined }
  /** The traffic mode: `live` on `live`, the version weighted `percent` (a shift's bake). */
  | { step: 'shifting'; version: string; live: string; percent: number }
  /** The traffic mode: `live` moved to the version; its public verification runs. */
  | { step: 'verifying-promoted'; version: string; live: string | undefined }
  | { step: 'verifying-restored'; to: string };

/** What the watch reads when the signal comes: the gate's step and this command's deployment. */
export interface GateState {
  current: GateStep;
  own: DeploymentIdentity | undefined;
}
