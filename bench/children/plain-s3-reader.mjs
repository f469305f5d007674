// The plain baseline's S3 read: @aws-sdk/client-s3 as a team uses it by
// hand, one GetObject for the whole clip. The endpoint, path style and
// credentials come from the environment the bench sets.

/** Loads the SDK and returns `read()`, which fetches `object`'s bytes. */
export async function plainS3Reader(object) {
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ forcePathStyle: true });

  return async () => {
    const output = await s3.send(
      new GetObjectCommand({ Bucket: object.bucket, Key: object.key }),
    );
    return output.Body.transformToByteArray();
  };
}
