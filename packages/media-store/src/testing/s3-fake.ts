import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One object the fake holds. */
interface FakeObject {
  data: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

/** One request the fake answered. */
export interface S3FakeRequest {
  method: string;
  bucket: string;
  key: string;
  /** PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2, or Unsupported. */
  operation: string;
  status: number;
}

export interface S3FakeOptions {
  /** Buckets that exist (others answer NoSuchBucket). */
  buckets: string[];
  /** The access key id requests must be signed with (the signature itself is not verified). */
  accessKeyId?: string;
  port?: number;
}

export interface S3Fake {
  /** http://127.0.0.1:PORT: the S3 endpoint (path-style). */
  readonly url: string;
  readonly requests: S3FakeRequest[];
  /** Keys of a bucket, in order. */
  keys(bucket: string): string[];
  /** An object's bytes, or undefined. */
  object(bucket: string, key: string): Buffer | undefined;
  close(): Promise<void>;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const escapeXml = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A tiny S3-compatible server for tests and the demo (S3 is the outside world): path-style
 * PutObject, GetObject, HeadObject, DeleteObject and ListObjectsV2, with S3's XML errors, enough
 * for the official AWS SDK v3. Requests must carry a SigV4 Authorization header for the configured
 * access key id; the signature itself is not checked. Objects live in memory.
 */
export async function startS3Fake(options: S3FakeOptions): Promise<S3Fake> {
  const buckets = new Map<string, Map<string, FakeObject>>(options.buckets.map((name) => [name, new Map()]));
  const requests: S3FakeRequest[] = [];

  const xml = (res: ServerResponse, status: number, body: string, head = false) => {
    const payload = `${XML_HEAD}${body}`;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(payload) });
    res.end(head ? undefined : payload);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, head = false) =>
    xml(
      res,
      status,
      `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`,
      head,
    );

  async function handle(req: IncomingMessage, res: ServerResponse, record: S3FakeRequest): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [bucketName = '', ...rest] = url.pathname.slice(1).split('/');
    record.bucket = decodeURIComponent(bucketName);
    record.key = rest.map((segment) => decodeURIComponent(segment)).join('/');
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const auth = req.headers.authorization ?? '';
    const credential = /Credential=([^/,\s]+)\//.exec(auth)?.[1];
    if (!auth.startsWith('AWS4-HMAC-SHA256') || !credential) {
      error(res, 403, 'AccessDenied', 'Anonymous access is not allowed', head);
      return 403;
    }
    if (options.accessKeyId !== undefined && credential !== options.accessKeyId) {
      error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', head);
      return 403;
    }
    const bucket = buckets.get(record.bucket);
    if (!bucket) {
      error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', head);
      return 404;
    }
    if (record.key === '') {
      if (method === 'GET' && url.searchParams.get('list-type') === '2') {
        record.operation = 'ListObjectsV2';
        return list(res, record.bucket, bucket, url.searchParams);
      }
      error(res, 501, 'NotImplemented', `${method} on a bucket is not supported by the fake`, head);
      return 501;
    }
    switch (method) {
      case 'PUT': {
        record.operation = 'PutObject';
        if ((req.headers['content-encoding'] ?? '').includes('aws-chunked')) {
          error(res, 501, 'NotImplemented', 'aws-chunked uploads are not supported by the fake');
          return 501;
        }
        const data = await readBody(req);
        const etag = `"${createHash('md5').update(data).digest('hex')}"`;
        const contentType = req.headers['content-type'] ?? 'binary/octet-stream';
        bucket.set(record.key, { data, contentType, etag, lastModified: new Date() });
        res.writeHead(200, { etag, 'content-length': 0 });
        res.end();
        return 200;
      }
      case 'GET':
      case 'HEAD': {
        record.operation = head ? 'HeadObject' : 'GetObject';
        const object = bucket.get(record.key);
        if (!object) {
          error(res, 404, 'NoSuchKey', 'The specified key does not exist.', head);
          return 404;
        }
        res.writeHead(200, {
          'content-type': object.contentType,
          'content-length': object.data.length,
          etag: object.etag,
          'last-modified': object.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        });
        res.end(head ? undefined : object.data);
        return 200;
      }
      case 'DELETE':
        record.operation = 'DeleteObject';
        bucket.delete(record.key);
        res.writeHead(204);
        res.end();
        return 204;
      default:
        error(res, 405, 'MethodNotAllowed', `${method} is not allowed`);
        return 405;
    }
  }

  function list(res: ServerResponse, name: string, bucket: Map<string, FakeObject>, query: URLSearchParams): number {
    const prefix = query.get('prefix') ?? '';
    const maxKeys = Math.min(1000, Math.max(1, Number(query.get('max-keys') ?? '1000') || 1000));
    const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
    const matching = [...bucket.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
    const page = matching.slice(0, maxKeys);
    const truncated = matching.length > page.length;
    const contents = page
      .map((key) => {
        const object = bucket.get(key);
        if (!object) return '';
        return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${object.data.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? `<NextContinuationToken>${escapeXml(page.at(-1) ?? '')}</NextContinuationToken>` : '';
    xml(
      res,
      200,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(name)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
    return 200;
  }

  const server = createServer((req, res) => {
    const record: S3FakeRequest = {
      method: req.method ?? 'GET',
      bucket: '',
      key: '',
      operation: 'Unsupported',
      status: 0,
    };
    handle(req, res, record).then(
      (status) => {
        record.status = status;
        requests.push(record);
      },
      (failure: unknown) => {
        record.status = 500;
        requests.push(record);
        if (!res.headersSent) error(res, 500, 'InternalError', `fake: ${String(failure)}`);
        else res.destroy();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('S3 fake: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    keys: (bucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(),
    object: (bucket, key) => buckets.get(bucket)?.get(key)?.data,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
