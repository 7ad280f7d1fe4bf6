import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStringParameter } from 'aws-cdk-lib/aws-ssm';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/metric-names.js';
import { BacktestTask } from '../constructs/backtest-task.js';
import {
  BACKTEST_DEFAULTS,
  BACKTEST_PREFIX,
  BacktestWorkflow,
} from '../constructs/backtest-workflow.js';
import type { StateStorage } from '../constructs/state-storage.js';
import { StepFunction } from '../constructs/step-function.js';
import type { AppSettings } from './settings.js';

/** Props of the backtest stack. */
export interface BacktestStackProps extends StackProps {
  readonly storage: StateStorage;
  /** The trading config parameter: the merge function reads the email addresses from it */
  readonly config: IStringParameter;
  readonly settings: AppSettings;
}

/**
 * Research sweeps on Fargate, started by hand: the shards' VPC, cluster and task definition, the
 * merge function and the state machine. The runs are objects under backtests/ in the state bucket,
 * which keeps them (versioned, retained) with the rest of what outlives a deploy.
 */
export class BacktestStack extends Stack {
  readonly task: BacktestTask;
  readonly merge: StepFunction;
  readonly workflow: BacktestWorkflow;

  constructor(scope: Construct, id: string, props: BacktestStackProps) {
    super(scope, id, props);
    const { storage, config, settings } = props;
    const { shards, maxConcurrency } = settings.backtest ?? BACKTEST_DEFAULTS;
    const bucketArn = storage.bucketArnIn(this);

    this.task = new BacktestTask(this, 'Shards', {
      bucketName: storage.bucket.bucketName,
      prefix: BACKTEST_PREFIX,
    });
    const taskObjects = storage.grantPrefix(this.task.taskDefinition.taskRole, BACKTEST_PREFIX);

    this.merge = new StepFunction(this, 'backtest-merge', {
      step: 'backtest-merge',
      tracing: settings.tracing,
      environment: {
        MAILER: 'ses',
        // The wiring's core names a table; this function reads none and is granted none
        STATE_TABLE: storage.table.tableName,
        STATE_BUCKET: storage.bucket.bucketName,
        STATE_PREFIX: BACKTEST_PREFIX,
        TRADING_CONFIG_PARAMETER: config.parameterName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    const mergeObjects = storage.grantPrefix(this.merge, BACKTEST_PREFIX);
    config.grantRead(this.merge);
    // SES checks the sender's identity, and in the sandbox each recipient's too
    this.merge.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: settings.sesIdentities.map((identity) =>
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
      }),
    );

    this.workflow = new BacktestWorkflow(this, 'Workflow', {
      cluster: this.task.cluster,
      taskDefinition: this.task.taskDefinition,
      container: this.task.container,
      securityGroup: this.task.securityGroup,
      bucket: { name: storage.bucket.bucketName, arn: bucketArn.arn, prefix: BACKTEST_PREFIX },
      merge: this.merge,
      maxConcurrency,
      defaultShards: shards,
      maxShards: BACKTEST_DEFAULTS.maxShards,
      logs: {
        destination: new LogGroup(this, 'WorkflowLogs', {
          logGroupName: `/aws/vendedlogs/states/${this.stackName}-backtest`,
          retention: RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        // The states carry keys, shard numbers and the spec: nothing secret
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
      tracingEnabled: settings.tracing,
    });

    new CfnOutput(this, 'BacktestStateMachineArn', {
      description:
        'aws stepfunctions start-execution --state-machine-arn <this> --input file://events/backtest/sweep.json',
      value: this.workflow.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'BacktestObjects', {
      description:
        'Upload the data folder to <this>data/; each run writes to <this>runs/<execution>/',
      value: `s3://${storage.bucket.bucketName}/${BACKTEST_PREFIX}`,
    });
    this.acknowledge({
      taskObjects,
      mergeObjects,
      specs: `${bucketArn.rendered}/${BACKTEST_PREFIX}runs/*`,
    });
    if (!settings.tracing) {
      Validations.of(this.workflow.stateMachine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason: 'X-Ray tracing turned off on purpose with the CDK context tracing=false',
      });
    }
  }

  // Each wildcard names one bucket's prefix or a resource whose service allows no narrower ARN
  private acknowledge(objects: { taskObjects: string; mergeObjects: string; specs: string }) {
    const reason =
      'Objects under backtests/ of the state bucket: the data folder, the specs and the runs, ' +
      'whose keys are named per execution, so no fixed list of object ARNs exists';
    Validations.of(this.task.taskDefinition.taskRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${objects.taskObjects}]`,
      reason,
    });
    Validations.of(this.merge.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${objects.mergeObjects}]`,
      reason,
    });
    Validations.of(this.task.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken, which pulling the image needs, supports no resource-level permission',
    });
    const role = Validations.of(this.workflow.stateMachine.role);
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'EcsRunTask’s ecs:StopTask and ecs:DescribeTasks on the tasks it starts (their ARNs exist ' +
        'only once started), and the log-delivery and X-Ray actions, which support no resource-level permission',
    });
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${objects.specs}]`,
      reason: 'store-spec writes runs/<execution name>/spec.json: the key is named per execution',
    });
    const mergeId = this.getLogicalId(this.merge.node.defaultChild as CfnFunction);
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${mergeId}.Arn>:*]`,
      reason:
        'LambdaInvoke’s grant on the merge function’s versions and aliases: one named function',
    });
  }
}
