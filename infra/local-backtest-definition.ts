import './promise-with-resolvers.js';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BacktestTask } from './constructs/backtest-task.js';
import {
  BACKTEST_DEFAULTS,
  BACKTEST_PREFIX,
  BacktestWorkflow,
} from './constructs/backtest-workflow.js';
import {
  definitionFromTemplate,
  type LocalDefinition,
  synthesizeLocally,
} from './local-definition.js';

/** The bucket name the local definition is built with; the local runner maps it to a folder. */
export const LOCAL_BUCKET = 'local-backtests';

interface TaskDefinitionTemplate {
  Resources: Record<
    string,
    {
      Type: string;
      Properties?: { ContainerDefinitions?: { Environment?: { Name: string; Value: string }[] }[] };
    }
  >;
}

/**
 * The deployed backtest state machine's ASL, built from the same constructs as the stack with
 * stand-ins for what runs nowhere locally (the image, the merge function's ARN, the bucket), and
 * the container's own environment from its task definition, as ECS would start it.
 */
export function localBacktestDefinition(): {
  definition: LocalDefinition;
  containerEnvironment: Record<string, string>;
} {
  const template = synthesizeLocally('LocalBacktestWorkflow', (stack) => {
    const task = new BacktestTask(stack, 'Shards', {
      bucketName: LOCAL_BUCKET,
      prefix: BACKTEST_PREFIX,
      image: ContainerImage.fromRegistry('local/backtest-task'),
    });
    new BacktestWorkflow(stack, 'Workflow', {
      cluster: task.cluster,
      taskDefinition: task.taskDefinition,
      container: task.container,
      securityGroup: task.securityGroup,
      bucket: { name: LOCAL_BUCKET, arn: `arn:aws:s3:::${LOCAL_BUCKET}`, prefix: BACKTEST_PREFIX },
      merge: LambdaFunction.fromFunctionArn(
        stack,
        'merge',
        'arn:aws:lambda:us-east-1:123456789012:function:backtest-merge',
      ),
      maxConcurrency: BACKTEST_DEFAULTS.maxConcurrency,
      defaultShards: BACKTEST_DEFAULTS.shards,
      maxShards: BACKTEST_DEFAULTS.maxShards,
    });
  });
  const taskDefinition = Object.values((template as TaskDefinitionTemplate).Resources).find(
    (resource) => resource.Type === 'AWS::ECS::TaskDefinition',
  );
  const environment = taskDefinition?.Properties?.ContainerDefinitions?.[0]?.Environment ?? [];
  return {
    definition: definitionFromTemplate(template),
    containerEnvironment: Object.fromEntries(environment.map((e) => [e.Name, e.Value])),
  };
}
