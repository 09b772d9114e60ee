// The sandbox's S3: s3rver on 127.0.0.1 with the sandbox's access key registered (s3rver knows only its own
// 'S3RVER' key; it checks that a request's key exists, not its SigV4 signature), creating the buckets it is given.
// Usage: node s3-local.js <port> <data folder> <access key> <secret key> [bucket...]
'use strict';
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const [port, directory, accessKey, secretKey, ...buckets] = process.argv.slice(2);
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);
new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.map(name => ({ name, configs: [] })),
})
  .run()
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
