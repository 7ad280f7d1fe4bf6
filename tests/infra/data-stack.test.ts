import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALPACA_SECRET_PLACEHOLDER } from '../../infra/constructs/alpaca-secret.js';
import { TABLE_DEFINITION } from '../../shared/adapters/state-layout.js';
import { resourcesOf, synthTradingBot } from './trading-bot-fixture.js';

let data: Template;
beforeAll(() => {
  ({ data } = synthTradingBot());
});

const RETAINED = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

describe('DataStack', () => {
  it('keeps one on-demand table with the state layout’s keys and point-in-time recovery', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResource('AWS::DynamoDB::Table', {
      ...RETAINED,
      Properties: {
        KeySchema: TABLE_DEFINITION.KeySchema,
        AttributeDefinitions: TABLE_DEFINITION.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('keeps a private, encrypted, versioned bucket that expires old versions and snapshots', () => {
    data.resourceCountIs('AWS::S3::Bucket', 1);
    data.hasResource('AWS::S3::Bucket', {
      ...RETAINED,
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              Status: 'Enabled',
            }),
            Match.objectLike({ Prefix: 'market-state/', ExpirationInDays: 365 }),
          ],
        },
      },
    });
  });

  it('refuses every request to the bucket that is not over TLS', () => {
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('creates the Alpaca secret from a placeholder template, with no value in the template', () => {
    data.resourceCountIs('AWS::SecretsManager::Secret', 1);
    data.hasResource('AWS::SecretsManager::Secret', {
      ...RETAINED,
      Properties: {
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify(ALPACA_SECRET_PLACEHOLDER),
          GenerateStringKey: 'secret',
        },
      },
    });
    const [secret] = Object.values(resourcesOf(data, 'AWS::SecretsManager::Secret'));
    expect(secret?.Properties).not.toHaveProperty('SecretString');
    expect(ALPACA_SECRET_PLACEHOLDER.endpoint).toContain('paper-api');
  });
});
