import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/metric-names.js';
import { DailySchedule } from '../constructs/daily-schedule.js';
import { EquityProbeSchedule } from '../constructs/equity-probe-schedule.js';
import { RunAlarms } from '../constructs/run-alarms.js';
import type { StateStorage } from '../constructs/state-storage.js';
import { StepFunction } from '../constructs/step-function.js';
import { TradingWorkflow } from '../constructs/trading-workflow.js';
import {
  ALPACA_PARTS,
  type BotFunction,
  FUNCTION_PARTS,
  type WiringPart,
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
} from '../constructs/workflow-functions.js';
import type { AppSettings } from './settings.js';

// A Standard parameter holds at most 4 KB; the Advanced tier would cost $0.05 a month
const MAX_CONFIG_BYTES = 4096;

/** Props of the trading stack: where the state and the keys live, and the app's settings. */
export interface TradingStackProps extends StackProps {
  readonly storage: StateStorage;
  readonly alpacaSecret: ISecret;
  readonly settings: AppSettings;
}

/**
 * The daily run: its config, one function per step, the state machine, its schedule and alarms,
 * the halt function the circuit breaker's alarm invokes, and the equity probe that feeds that
 * alarm during the session.
 */
export class TradingStack extends Stack {
  readonly functions: Record<WorkflowFunction, StepFunction>;
  readonly workflow: TradingWorkflow;
  readonly alarms: RunAlarms;
  /** Sets HALTED, cancels the open entries and mails an alert when the breaker topic publishes */
  readonly halt: StepFunction;
  /** Publishes the live equity and the day's return in the session; none with equityProbeMinutes 0 */
  readonly equityProbe?: StepFunction;
  /** The trading config parameter (the backtests' merge function reads its email addresses) */
  readonly config: StringParameter;

  constructor(scope: Construct, id: string, props: TradingStackProps) {
    super(scope, id, props);
    const { storage, alpacaSecret, settings } = props;

    if (Buffer.byteLength(settings.tradingConfig) > MAX_CONFIG_BYTES) {
      throw new Error(`the trading config is over the SSM parameter's ${MAX_CONFIG_BYTES} bytes`);
    }
    this.config = new StringParameter(this, 'TradingConfig', {
      description: 'Trading config: JSON overrides of the defaults (shared/domain/config.ts)',
      stringValue: settings.tradingConfig,
    });
    const config = this.config;

    // Names and ARNs only: the keys stay in Secrets Manager, read by the functions at cold start
    const environment = {
      BROKER: 'alpaca',
      MAILER: 'ses',
      RUN_CLOCK: 'system',
      STATE_TABLE: storage.table.tableName,
      STATE_BUCKET: storage.bucket.bucketName,
      TRADING_CONFIG_PARAMETER: config.parameterName,
      ALPACA_SECRET_ID: alpacaSecret.secretArn,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    // SES checks the sender's identity, and in the sandbox each recipient's too
    const sendMail = new PolicyStatement({
      actions: ['ses:SendRawEmail'],
      resources: settings.sesIdentities.map((identity) =>
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
      ),
    });
    // Each function gets what the parts its handler names use, and no more
    const botFunction = (step: BotFunction, documents: 'read' | 'write' | 'control' = 'write') => {
      const fn = new StepFunction(this, step, { step, environment, tracing: settings.tracing });
      storage.grantDocuments(fn, documents);
      config.grantRead(fn);
      const parts: readonly WiringPart[] = FUNCTION_PARTS[step];
      if (ALPACA_PARTS.some((part) => parts.includes(part))) alpacaSecret.grantRead(fn);
      if (parts.includes('objects')) storage.grantSnapshots(fn);
      if (parts.includes('mailer')) fn.addToRolePolicy(sendMail);
      return fn;
    };
    this.functions = Object.fromEntries(
      WORKFLOW_FUNCTIONS.map((step) => [step, botFunction(step)]),
    ) as Record<WorkflowFunction, StepFunction>;

    this.workflow = new TradingWorkflow(this, 'Workflow', {
      functions: this.functions as Record<WorkflowFunction, IFunction>,
      logs: {
        destination: new LogGroup(this, 'WorkflowLogs', {
          // The prefix Step Functions' log delivery expects, which keeps the account's shared
          // CloudWatch Logs resource policy from growing with each state machine
          logGroupName: `/aws/vendedlogs/states/${this.stackName}-daily-run`,
          retention: RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        // The states carry dates, counts, equity and S3 keys; credentials never pass through them
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
      tracingEnabled: settings.tracing,
    });
    new DailySchedule(this, 'Daily', {
      stateMachine: this.workflow.stateMachine,
      ...settings.schedule,
    });
    this.alarms = new RunAlarms(this, 'Alarms', {
      stateMachine: this.workflow.stateMachine,
      dailyLossPercent: settings.dailyLossPercent,
      probeMinutes: settings.equityProbeMinutes,
      ...(settings.alertEmail && { alertEmail: settings.alertEmail }),
    });
    if (!settings.alertEmail) {
      // The failure report mails the config's recipients; these alarms have only the topic
      Annotations.of(this).addWarningV2(
        'trading-bot:no-alert-email',
        'No -c alertEmail: nothing subscribes to the alert topic, so a weekday without a run, a ' +
          'failed halt or a failing equity probe notifies nobody',
      );
    }

    this.halt = botFunction('halt', 'control');
    // SNS invokes it asynchronously: Lambda retries a failed halt twice (each part is safe to
    // repeat), and an alarm older than an hour is stale news; the alert email says what failed
    this.halt.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
    this.alarms.breakerTopic.addSubscription(new LambdaSubscription(this.halt));
    // A halt that failed its retries has not sent its email, and the alarm stays in ALARM, so SNS
    // never invokes it again: only this says that trading may not be halted
    this.alarms.alertOnFailures(
      'HaltFailed',
      this.halt,
      'The halt function failed: trading may not be HALTED, and entries may still wait at the broker',
    );

    if (settings.equityProbeMinutes > 0) {
      // It reads the previous close from the table and writes nothing there
      this.equityProbe = botFunction('equity-probe', 'read');
      // The Scheduler invokes it asynchronously: a failed reading is not retried, the next tick
      // reads again, and an invocation held up past a minute is no reading of its tick any more
      this.equityProbe.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
      new EquityProbeSchedule(this, 'EquityProbe', {
        probe: this.equityProbe,
        everyMinutes: settings.equityProbeMinutes,
      });
      // One failed tick is the next tick's to make up; two in a row leave the breaker blind
      this.alarms.alertOnFailures(
        'ProbeFailing',
        this.equityProbe,
        'The equity probe failed two ticks in a row: the breaker sees no intraday loss',
        { period: Duration.minutes(settings.equityProbeMinutes), periods: 2 },
      );
    }

    new CfnOutput(this, 'StateMachineArn', {
      description: 'The daily run: aws stepfunctions start-execution --state-machine-arn …',
      value: this.workflow.stateMachine.stateMachineArn,
    });
    this.acknowledgeWorkflowFindings(settings.tracing);
  }

  // The findings CDK's own grants to the state machine's role raise, each for a named reason
  private acknowledgeWorkflowFindings(tracing: boolean): void {
    if (!tracing) {
      Validations.of(this.workflow.stateMachine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason: 'X-Ray tracing turned off on purpose with the CDK context tracing=false',
      });
    }
    const role = Validations.of(this.workflow.stateMachine.role);
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended-delivery actions (logs:CreateLogDelivery and the like) and X-Ray ' +
        'PutTraceSegments/PutTelemetryRecords/GetSampling* support no resource-level permissions',
    });
    for (const fn of Object.values(this.functions)) {
      const logicalId = this.getLogicalId(fn.node.defaultChild as CfnFunction);
      role.acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `LambdaInvoke's grant on ${fn.node.id}'s versions and aliases (ARN:qualifier): one named function`,
      });
    }
  }
}
