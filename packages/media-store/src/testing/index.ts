export { type S3Fake, type S3FakeOptions, type S3FakeRequest, startS3Fake } from './s3-fake.js';
