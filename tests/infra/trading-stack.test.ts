import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALPACA_SECRET_PLACEHOLDER } from '../../infra/constructs/alpaca-secret.js';
import { ALARM_FUNCTIONS, WORKFLOW_FUNCTIONS } from '../../infra/constructs/workflow-functions.js';
import { definitionFromTemplate } from '../../infra/local-definition.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/metric-names.js';
import { aslValidator, resourcesOf, synthTradingBot } from './trading-bot-fixture.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

// The workflow's functions, the halt function the breaker topic invokes and the equity probe
const FUNCTION_COUNT = WORKFLOW_FUNCTIONS.length + ALARM_FUNCTIONS.length;

let data: Template;
let trading: Template;
let functions: ReturnType<typeof resourcesOf>;
let statements: { policy: string; statement: Statement }[];
beforeAll(() => {
  ({ data, trading } = synthTradingBot());
  functions = resourcesOf(trading, 'AWS::Lambda::Function');
  statements = Object.entries(resourcesOf(trading, 'AWS::IAM::Policy')).flatMap(
    ([policy, { Properties }]) =>
      (Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({
        policy,
        statement,
      })),
  );
});

const actionsOf = ({ Action }: Statement) => (Array.isArray(Action) ? Action : [Action]);
const resourcesIn = ({ Resource }: Statement) => (Array.isArray(Resource) ? Resource : [Resource]);
const functionOf = (step: string) =>
  Object.values(functions).find(({ Properties }) =>
    JSON.stringify(Properties.Role).includes(step.replaceAll('-', '')),
  );

describe('TradingStack functions', () => {
  it('runs one Node 22 arm64 ESM function per workflow step, the halt function and the probe', () => {
    expect(Object.keys(functions)).toHaveLength(FUNCTION_COUNT);
    for (const { Properties } of Object.values(functions)) {
      expect(Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('gives fetch-data and report, which do the most work, more memory and time', () => {
    for (const step of ['fetch-data', 'report']) {
      expect(functionOf(step)?.Properties).toMatchObject({ MemorySize: 1024 });
    }
    expect(functionOf('detect-regime')?.Properties).toMatchObject({ MemorySize: 512, Timeout: 60 });
  });

  it("gives every step that asks the broker as long as the SDK's retries of one read can take", () => {
    // 4 attempts of up to 30 s and 3 waits of up to 60 s: 300 s
    for (const step of [
      'check-calendar',
      'fetch-data',
      'generate-signals',
      'check-risk',
      'execute-orders',
      'monitor-exits',
    ]) {
      expect(functionOf(step)?.Properties.Timeout, step).toBe(300);
    }
  });

  it('logs each function to a log group of its own that expires', () => {
    const groups = resourcesOf(trading, 'AWS::Logs::LogGroup');
    const used = Object.values(functions).map(
      ({ Properties }) => Properties.LoggingConfig.LogGroup,
    );
    expect(new Set(used.map((ref) => JSON.stringify(ref))).size).toBe(FUNCTION_COUNT);
    for (const ref of used) {
      expect(groups[ref.Ref]?.Properties.RetentionInDays).toBe(30);
    }
  });

  it('hands every function names and ARNs, never a secret value', () => {
    for (const { Properties } of Object.values(functions)) {
      const environment = Properties.Environment.Variables as Record<string, unknown>;
      // The Parameters and Secrets extension's own settings (its port, cache, timeouts) aside
      const extension = /^(PARAMETERS_SECRETS_EXTENSION|SSM_PARAMETER_STORE|SECRETS_MANAGER)_/;
      expect(
        Object.keys(environment)
          .filter((name) => !extension.test(name))
          .sort(),
      ).toEqual(
        [
          'ALPACA_SECRET_ID',
          'BROKER',
          'MAILER',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          'RUN_CLOCK',
          'STATE_BUCKET',
          'STATE_TABLE',
          'TRADING_CONFIG_PARAMETER',
        ].sort(),
      );
      expect(environment).toMatchObject({
        BROKER: 'alpaca',
        MAILER: 'ses',
        RUN_CLOCK: 'system',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ALPACA_SECRET_ID: { 'Fn::ImportValue': expect.stringContaining('AlpacaSecret') },
      });
      const text = JSON.stringify(environment);
      expect(text).not.toMatch(/resolve:secretsmanager|SecretString|keyId|APCA_/);
      expect(text).not.toContain(ALPACA_SECRET_PLACEHOLDER.keyId);
    }
  });
});

describe('TradingStack permissions', () => {
  it('scopes every data, secret, parameter, mail and invocation action to named resources', () => {
    const scoped = statements.filter(({ statement }) =>
      actionsOf(statement).some((action) =>
        /^(dynamodb|s3|secretsmanager|ssm|ses|states|lambda):/.test(action),
      ),
    );
    expect(scoped.length).toBeGreaterThan(0);
    for (const { policy, statement } of scoped) {
      // The one Deny narrows a grant: the table's writes, off the control partition
      if (statement.Effect === 'Deny') {
        expect(actionsOf(statement), policy).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      } else expect(statement.Effect).toBe('Allow');
      expect(actionsOf(statement).join(), policy).not.toMatch(/\*/);
      for (const resource of resourcesIn(statement)) expect(resource, policy).not.toBe('*');
    }
  });

  it("gives every function the Parameters and Secrets extension's arm64 layer, by region", () => {
    for (const { Properties } of Object.values(functions)) {
      expect(Properties.Layers).toEqual([
        { 'Fn::FindInMap': [expect.any(String), { Ref: 'AWS::Region' }, '1x0x103xarm64'] },
      ]);
    }
  });

  it("grants the bucket only to fetch-data, the Alpaca secret only to what trades, cancels or reads the account, Alpaca's calendar, news or assets", () => {
    const holders = (pattern: RegExp) =>
      [
        ...new Set(
          statements
            .filter(({ statement }) => actionsOf(statement).some((action) => pattern.test(action)))
            .map(({ policy }) => policy.replace(/role.*$/, '')),
        ),
      ].sort();
    // The snapshots (any key) to fetch-data alone; the remembered VIX close is a table document
    const objectHolders = (key: (resource: string) => boolean) =>
      [
        ...new Set(
          statements
            .filter(
              ({ statement }) =>
                actionsOf(statement).includes('s3:PutObject') &&
                resourcesIn(statement).some((r) => key(JSON.stringify(r))),
            )
            .map(({ policy }) => policy.replace(/role.*$/, '')),
        ),
      ].sort();
    expect(objectHolders((r) => r.includes('/*'))).toEqual(['fetchdata']);
    expect(holders(/^s3:/)).toEqual(['fetchdata']);
    // check-calendar and generate-signals read Alpaca's calendar or news, check-risk its assets
    expect(holders(/^secretsmanager:/)).toEqual([
      'checkcalendar',
      'checkrisk',
      'equityprobe',
      'executeorders',
      'fetchdata',
      'generatesignals',
      'halt',
      'monitorexits',
    ]);
    expect(holders(/^ssm:/)).toHaveLength(FUNCTION_COUNT);
    expect(holders(/^dynamodb:/)).toHaveLength(FUNCTION_COUNT);
  });

  it('lets no function but halt write the trading-state control, so that no step can lift a halt', () => {
    const writers = new Set(
      statements
        .filter(
          ({ statement }) =>
            statement.Effect === 'Allow' && actionsOf(statement).includes('dynamodb:PutItem'),
        )
        .map(({ policy }) => policy.replace(/role.*$/, '')),
    );
    const denied = new Set(
      statements
        .filter(
          ({ statement }) =>
            statement.Effect === 'Deny' &&
            actionsOf(statement).includes('dynamodb:PutItem') &&
            actionsOf(statement).includes('dynamodb:UpdateItem') &&
            JSON.stringify(statement).includes(
              '"ForAnyValue:StringEquals":{"dynamodb:LeadingKeys":["CONTROL"]}',
            ),
        )
        .map(({ policy }) => policy.replace(/role.*$/, '')),
    );
    // Every function writes documents but the probe; all of them but halt are kept off CONTROL
    expect([...writers].sort()).toHaveLength(FUNCTION_COUNT - 1);
    expect([...writers].filter((fn) => !denied.has(fn))).toEqual(['halt']);
  });

  it('lets only the report and halt functions send mail, as the configured identities', () => {
    const senders = statements.filter(({ statement }) =>
      actionsOf(statement).some((action) => action.startsWith('ses:')),
    );
    expect(senders.map(({ policy }) => policy.replace(/role.*$/, '')).sort()).toEqual([
      'halt',
      'report',
    ]);
    for (const { statement } of senders) {
      expect(actionsOf(statement)).toEqual(['ses:SendRawEmail']);
      expect(JSON.stringify(statement.Resource)).toMatch(
        /:identity\/bot@example\.com".*:identity\/owner@example\.com"/,
      );
    }
  });

  it('grants the state machine only the invocation of its own functions beside logs and X-Ray', () => {
    const machine = statements.filter(({ policy }) =>
      policy.startsWith('WorkflowStateMachineRole'),
    );
    const actions = new Set(machine.flatMap(({ statement }) => actionsOf(statement)));
    expect([...actions].filter((action) => !/^(logs|xray):/.test(action))).toEqual([
      'lambda:InvokeFunction',
    ]);
  });
});

describe('TradingStack workflow', () => {
  it('stores the trading config as a String parameter, the defaults when none is given', () => {
    trading.hasResourceProperties('AWS::SSM::Parameter', { Type: 'String', Value: '{}' });
  });

  it('logs every execution event and traces with X-Ray', () => {
    trading.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
  });

  it('has a definition that asl-validator accepts', () => {
    const result = aslValidator(definitionFromTemplate(trading.toJSON()), {
      checkArn: true,
      checkPaths: true,
    });

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('has no VPC and so no NAT gateway', () => {
    for (const template of [data, trading]) {
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::VPC', 0);
    }
  });
});
