import { Duration } from 'aws-cdk-lib';
import { type ISecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import type { ContainerDefinition, ICluster, TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  type LogOptions,
  Map as MapState,
  Pass,
  QueryLanguage,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import {
  CallAwsService,
  EcsFargateLaunchTarget,
  EcsRunTask,
  LambdaInvoke,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Where the backtests live in the state bucket: specs, the uploaded data folder and the runs. */
export const BACKTEST_PREFIX = 'backtests/';

/** Shards of a spec started as a document, Map concurrency, and the most shards an input may ask. */
export const BACKTEST_DEFAULTS = { shards: 4, maxConcurrency: 4, maxShards: 50 } as const;

/** The state names the local runner overrides (scripts/local/backtest-workflow.ts). */
export const BACKTEST_STATES = {
  storeSpec: 'store-spec',
  runShard: 'run-shard',
  merge: 'merge',
} as const;

/** Props of the backtest state machine. */
export interface BacktestWorkflowProps {
  readonly cluster: ICluster;
  readonly taskDefinition: TaskDefinition;
  readonly container: ContainerDefinition;
  readonly securityGroup: ISecurityGroup;
  /** The bucket of the specs and runs, its ARN as this stack names it, and the key prefix */
  readonly bucket: { readonly name: string; readonly arn: string; readonly prefix: string };
  readonly merge: IFunction;
  /** How many shards run at once: each is a Fargate task */
  readonly maxConcurrency: number;
  /** Shards of a spec started as a document, which has no field to say */
  readonly defaultShards: number;
  /** The most shards an input may ask for */
  readonly maxShards: number;
  readonly logs?: LogOptions;
  readonly tracingEnabled?: boolean;
}

/**
 * A sweep fanned out to Fargate: the input is a research spec document (stored first, beside the
 * run's results) or `{"specKey": …, "shards": n}`; a Map runs one ECS task per shard, bounded, and
 * the merge function writes results.csv, the summary and the tearsheet and mails the summary.
 * JSONPath throughout: aws-local-stepfunctions, which runs it locally, ignores JSONata.
 */
export class BacktestWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: BacktestWorkflowProps) {
    super(scope, id);
    // ecs:RunTask on this task definition's ARN, rather than CDK's default of every revision of its
    // family; set before any child is added, as context must be
    this.node.setContext('@aws-cdk/aws-stepfunctions-tasks:fixRunEcsTaskPolicy', true);
    const { bucket } = props;
    // Every key in the state is relative to the prefix, as the task's and merge's object store reads
    const runFolder = JsonPath.format('runs/{}/', JsonPath.executionName);

    const storeSpec = new CallAwsService(this, BACKTEST_STATES.storeSpec, {
      service: 's3',
      action: 'putObject',
      parameters: {
        Bucket: bucket.name,
        Key: JsonPath.format(`${bucket.prefix}runs/{}/spec.json`, JsonPath.executionName),
        Body: JsonPath.jsonToString(JsonPath.entirePayload),
        ContentType: 'application/json',
      },
      iamAction: 's3:PutObject',
      iamResources: [`${bucket.arn}/${bucket.prefix}runs/*`],
      resultSelector: {
        specKey: JsonPath.format('runs/{}/spec.json', JsonPath.executionName),
        shards: props.defaultShards,
      },
    });
    const keyWithDefault = new Pass(this, 'default-shards', {
      parameters: { specKey: JsonPath.stringAt('$.specKey'), shards: props.defaultShards },
    });
    const badInput = new Fail(this, 'bad-input', {
      error: 'InvalidBacktestInput',
      cause: `expected a research spec document, or {"specKey": "<key under ${bucket.prefix}>", "shards": 1..${props.maxShards}}`,
    });

    const runShard = new EcsRunTask(this, BACKTEST_STATES.runShard, {
      integrationPattern: IntegrationPattern.RUN_JOB, // ecs:runTask.sync: waits for the task to stop
      cluster: props.cluster,
      taskDefinition: props.taskDefinition,
      launchTarget: new EcsFargateLaunchTarget(),
      // Public subnets and a public IP reach S3 and ECR without a NAT gateway
      subnets: { subnetType: SubnetType.PUBLIC },
      assignPublicIp: true,
      securityGroups: [props.securityGroup],
      containerOverrides: [
        {
          containerDefinition: props.container,
          environment: [
            { name: 'SPEC_KEY', value: JsonPath.stringAt('$.specKey') },
            {
              name: 'SHARD',
              value: JsonPath.format(
                '{}/{}',
                JsonPath.stringAt('$.index'),
                JsonPath.stringAt('$.count'),
              ),
            },
            { name: 'RUN_PREFIX', value: JsonPath.stringAt('$.runPrefix') },
          ],
        },
      ],
      // A shard of a large grid runs minutes; an hour means it is stuck
      taskTimeout: Timeout.duration(Duration.hours(1)),
      // The task's description is kilobytes: n of them would crowd the 256 KB state
      resultPath: JsonPath.DISCARD,
    }).addRetry({
      // ECS's API refusals (capacity, throttling); a task that exits non-zero fails for a reason
      // that another try would meet again (a bad spec, missing data)
      errors: ['ECS.AmazonECSException'],
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: 3,
    });
    const shards = new MapState(this, 'shards', {
      itemsPath: '$.indexes',
      itemSelector: {
        index: JsonPath.numberAt('$$.Map.Item.Value'),
        count: JsonPath.numberAt('$.shards'),
        specKey: JsonPath.stringAt('$.specKey'),
        runPrefix: JsonPath.stringAt('$.runPrefix'),
      },
      maxConcurrency: props.maxConcurrency,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(runShard);

    const merge = new LambdaInvoke(this, BACKTEST_STATES.merge, {
      lambdaFunction: props.merge,
      payload: TaskInput.fromObject({
        specKey: JsonPath.stringAt('$.specKey'),
        shards: JsonPath.numberAt('$.shards'),
        runPrefix: JsonPath.stringAt('$.runPrefix'),
      }),
      payloadResponseOnly: true,
    });

    const plan = new Pass(this, 'plan', {
      parameters: {
        specKey: JsonPath.stringAt('$.specKey'),
        shards: JsonPath.numberAt('$.shards'),
        runPrefix: runFolder,
        indexes: JsonPath.arrayRange(1, JsonPath.numberAt('$.shards'), 1),
      },
    });
    const checked = new Choice(this, 'valid-input?')
      .when(
        Condition.and(
          Condition.isString('$.specKey'),
          Condition.isNumeric('$.shards'),
          Condition.numberGreaterThanEquals('$.shards', 1),
          Condition.numberLessThanEquals('$.shards', props.maxShards),
        ),
        plan.next(shards).next(merge),
      )
      .otherwise(badInput);

    const start = new Choice(this, 'spec-or-key?')
      .when(
        Condition.and(Condition.isPresent('$.specKey'), Condition.isPresent('$.shards')),
        checked,
      )
      .when(Condition.isPresent('$.specKey'), keyWithDefault.next(checked))
      .otherwise(storeSpec.next(checked));

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(start),
      timeout: Duration.hours(3),
      tracingEnabled: props.tracingEnabled ?? true,
      logs: props.logs,
    });
  }
}
