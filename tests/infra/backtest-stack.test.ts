import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { localBacktestDefinition } from '../../infra/local-backtest-definition.js';
import { definitionFromTemplate } from '../../infra/local-definition.js';
import { addTradingBot } from '../../infra/stacks/trading-bot.js';
import { aslValidator, resourcesOf, TEST_SETTINGS, testApp } from './trading-bot-fixture.js';

type State = {
  Type: string;
  Resource?: string;
  MaxConcurrency?: number;
  ItemProcessor?: { States: Record<string, State> };
  // biome-ignore lint/suspicious/noExplicitAny: ASL parameters, read path by path
  Parameters?: Record<string, any>;
};

const synth = (backtest?: { shards: number; maxConcurrency: number }) => {
  const stacks = addTradingBot(testApp(), { ...TEST_SETTINGS, ...(backtest && { backtest }) });
  return Template.fromStack(stacks.backtest);
};
const template = synth();
const definition = definitionFromTemplate(template.toJSON());
const states = definition.States as Record<string, State>;
const runShard = states.shards?.ItemProcessor?.States['run-shard'];

// biome-ignore lint/suspicious/noExplicitAny: policy JSON
type Statement = { Action: string | string[]; Resource: any; Condition?: unknown };
const statementsOf = (roleLogicalId: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const roleOf = (type: string, property: string) => {
  const [resource] = Object.values(resourcesOf(template, type));
  return resource!.Properties[property]['Fn::GetAtt'][0] as string;
};
const rendered = (value: unknown) => JSON.stringify(value);

describe('the backtest state machine', () => {
  it('fans out with a bounded Map of ecs:runTask.sync tasks on Fargate in the public subnets', () => {
    expect(states.shards).toMatchObject({ Type: 'Map', ItemsPath: '$.indexes', MaxConcurrency: 4 });
    expect(runShard).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: {
        LaunchType: 'FARGATE',
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
      },
    });
    const subnets = runShard?.Parameters?.NetworkConfiguration.AwsvpcConfiguration.Subnets;
    expect(subnets).toHaveLength(2);
    for (const subnet of subnets) expect(subnet).toMatch(/publicSubnet/);
    const environment = runShard?.Parameters?.Overrides.ContainerOverrides[0].Environment;
    expect(environment.map((e: { Name: string }) => e.Name)).toEqual([
      'SPEC_KEY',
      'SHARD',
      'RUN_PREFIX',
    ]);
  });

  it('takes its concurrency and default shards from the settings', () => {
    const other = definitionFromTemplate(synth({ shards: 6, maxConcurrency: 2 }).toJSON());
    const byName = other.States as Record<string, State>;
    expect(byName.shards?.MaxConcurrency).toBe(2);
    expect(byName['default-shards']?.Parameters).toMatchObject({ shards: 6 });
  });

  it('is a Standard JSONPath state machine that asl-validator accepts, deployed and local', () => {
    // aws-local-stepfunctions ignores JSONata: every state must be JSONPath
    expect(rendered(definition)).not.toMatch(/JSONata/);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
    });
    for (const asl of [definition, localBacktestDefinition().definition]) {
      const result = aslValidator(asl, { checkArn: true, checkPaths: true });
      expect(result.isValid, result.errorsText('\n')).toBe(true);
    }
  });
});

describe('the network', () => {
  it('has public subnets only and no NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    const subnets = Object.values(resourcesOf(template, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(2);
    for (const subnet of subnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(true);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.s3'])] }),
    });
  });

  it('lets nothing in to the tasks', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });
});

describe('the shard task definition', () => {
  const [taskDefinition] = Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition'));
  const [container] = taskDefinition!.Properties.ContainerDefinitions;

  it('runs the image built from the Dockerfile at deploy, on Graviton', () => {
    // An asset image: the synth staged it and published nothing
    expect(rendered(container.Image)).toMatch(/cdk-hnb659fds-container-assets/);
    expect(taskDefinition!.Properties).toMatchObject({
      Cpu: '2048',
      Memory: '4096',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
  });

  it('logs to its own log group, kept a month', () => {
    expect(container.LogConfiguration).toMatchObject({
      LogDriver: 'awslogs',
      Options: { 'awslogs-stream-prefix': 'shard' },
    });
    const group = container.LogConfiguration.Options['awslogs-group'].Ref as string;
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[group]?.Properties.RetentionInDays).toBe(
      30,
    );
  });

  it('gives every log group a retention', () => {
    for (const group of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });
});

describe('least privilege', () => {
  const backtestObjects =
    /TradingBotDataExportsOutputFnGetAttStateBucket.*\/backtests\/\*|backtests\/\*/;

  it.each([
    ['the merge function', () => roleOf('AWS::Lambda::Function', 'Role')],
    ['the shard task', () => roleOf('AWS::ECS::TaskDefinition', 'TaskRoleArn')],
  ])('%s reads and writes objects under backtests/ only', (_, role) => {
    const statements = statementsOf(role());
    const objectStatements = statements.filter((s) => actions([s]).includes('s3:GetObject'));
    expect(objectStatements).toHaveLength(1);
    expect(actions(objectStatements).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(rendered(objectStatements[0]!.Resource)).toMatch(backtestObjects);
    expect(actions(statements).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    expect(actions(statements)).not.toContain('s3:*');
  });

  it('lets the merge function mail only as the SES identities and read only the config', () => {
    const statements = statementsOf(roleOf('AWS::Lambda::Function', 'Role'));
    const ses = statements.filter((s) => actions([s]).includes('ses:SendRawEmail'));
    expect(rendered(ses.map((s) => s.Resource))).toMatch(/identity\/bot@example\.com/);
    const ssm = statements.filter((s) => actions([s]).some((a) => a.startsWith('ssm:')));
    expect(rendered(ssm[0]?.Resource)).toMatch(/parameter/);
  });

  it('lets the state machine run this task definition alone and write only the runs’ specs', () => {
    const statements = statementsOf(roleOf('AWS::StepFunctions::StateMachine', 'RoleArn'));
    const runTask = statements.find((s) => actions([s]).includes('ecs:RunTask'));
    expect(runTask?.Resource).toEqual({ Ref: expect.stringMatching(/^ShardsTaskDefinition/) });
    const put = statements.find((s) => actions([s]).includes('s3:PutObject'));
    expect(rendered(put?.Resource)).toMatch(/\/backtests\/runs\/\*/);
  });
});
