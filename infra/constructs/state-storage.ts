import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  itemKey,
  KEY_ATTRIBUTES,
  objectKey,
  TABLE_DEFINITION,
} from '../../shared/adapters/state-layout.js';
import { marketStateKey } from '../../shared/ports/state-store.js';

// What DynamoDbStateStore and its batched reads call: nothing scans, deletes or writes in batches
const TABLE_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TABLE_ACTIONS = [...TABLE_READS, ...TABLE_WRITES];
// The trading-state document's partition: a halt there stops every entry until a person resumes
const CONTROL_PARTITION = itemKey('control/trading-state').pk;

// The folder of the daily market-state snapshots, read off the layout so it cannot drift
const MARKET_STATE_PREFIX = objectKey(marketStateKey('2000-01-01')).replace(/[^/]+$/, '');

/** The run's state: the documents table and the snapshot bucket, both kept when the stack goes. */
export class StateStorage extends Construct {
  readonly table: Table;
  readonly bucket: Bucket;
  // Other stacks import the bucket's ARN under a name of ours, not CDK's generated one, so that the
  // acknowledgement of their object-level grant can name the resource it covers
  readonly #bucketArnExportName: string;
  readonly #importedBucketArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // CDK's AttributeType values are DynamoDB's own letters ('S', 'N', 'B')
    const attribute = ({ name, type }: { name: string; type: string }) => ({
      name,
      type: type as AttributeType,
    });
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(KEY_ATTRIBUTES.partition),
      sortKey: attribute(KEY_ATTRIBUTES.sort),
      billingMode: BillingMode[TABLE_DEFINITION.BillingMode],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true, // A bad write of a market state can be rolled back
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // Only the newest snapshot is read; a year outlasts any pause, after which the next run
          // would stop with MissingStateError (docs/state.md, "What is safe to delete")
          prefix: MARKET_STATE_PREFIX,
          expiration: Duration.days(365),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stack = Stack.of(this);
    this.#bucketArnExportName = `${stack.stackName}-${this.node.id}-BucketArn`;
    this.#importedBucketArn = stack.exportValue(this.bucket.bucketArn, {
      name: this.#bucketArnExportName,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Private bucket reached only by this app’s function roles; access logs would need a second ' +
        'bucket for a few requests a day, and CloudTrail data events can be enabled if ever needed',
    });
  }

  /**
   * Lets a function read and write the documents, as the DynamoDB state store does: with `write`
   * every document but the trading-state control, which only `control` (the halt function) may
   * write, so that no step can lift a halt; with `read` only read them (the equity probe).
   */
  grantDocuments(grantee: IGrantable, access: 'read' | 'write' | 'control' = 'write'): void {
    const principal = grantee.grantPrincipal;
    const actions = access === 'read' ? TABLE_READS : TABLE_ACTIONS;
    principal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [this.table.tableArn] }),
    );
    if (access !== 'write') return;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: TABLE_WRITES,
        resources: [this.table.tableArn],
        conditions: {
          'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': [CONTROL_PARTITION] },
        },
      }),
    );
  }

  /** Lets a function read and write the snapshots (S3), as the object store part does. */
  grantSnapshots(grantee: IGrantable): void {
    const { arn, rendered } = this.#bucketArnFor(grantee);
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [`${arn}/*`],
      }),
    );
    // Without it S3 answers a missing snapshot with 403, which the adapter must not read as absent
    principal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [arn] }),
    );
    if (!Construct.isConstruct(principal)) return;
    Validations.of(principal).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${rendered}/*]`,
      reason:
        'Objects of the one state bucket: the snapshot keys are dated (market-state/<date>.json), ' +
        'so no fixed list of object ARNs exists',
    });
  }

  /**
   * Lets a grantee read and write the objects under one prefix (the backtests' `backtests/`), so the
   * state's snapshots stay out of its reach. Returns how cdk-nag writes the objects' ARN, for the
   * caller's acknowledgement with its own reason.
   */
  grantPrefix(grantee: IGrantable, prefix: string): string {
    const { arn, rendered } = this.#bucketArnFor(grantee);
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [`${arn}/${prefix}*`],
      }),
    );
    // Key names only, and unconditioned: S3 checks it for a GetObject of a missing key, whose
    // request carries no s3:prefix for a condition to match, and would answer 403 instead of 404
    principal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [arn] }),
    );
    return `${rendered}/${prefix}*`;
  }

  /**
   * The bucket's ARN as a construct's stack can name it (an import from another stack), and how
   * cdk-nag writes it: a GetAtt in this stack, the import's name in another.
   */
  bucketArnIn(scope: Construct): { arn: string; rendered: string } {
    if (Stack.of(scope) === Stack.of(this)) {
      const logicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
      return { arn: this.bucket.bucketArn, rendered: `<${logicalId}.Arn>` };
    }
    // A bare import carries no dependency of its own: the importing stack deploys after this one
    Stack.of(scope).addStackDependency(Stack.of(this));
    return { arn: this.#importedBucketArn, rendered: this.#bucketArnExportName };
  }

  #bucketArnFor(grantee: IGrantable): { arn: string; rendered: string } {
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) return this.bucketArnIn(principal);
    return { arn: this.#importedBucketArn, rendered: this.#bucketArnExportName };
  }
}
