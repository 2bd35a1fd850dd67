"""Story images on S3-compatible object storage (optional: AWS_STORAGE_BUCKET_NAME
switches it on, docs/deploy.md).

The bucket stays private. Every image address is still the application's own
`/media/<name>`, whose view checks that the reader may see the story before
reading the file from the bucket: no bucket URL, signed or not, ever reaches a
page."""

from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    default_acl = "private"
    file_overwrite = False
    querystring_auth = True

    def url(self, name, *args, **kwargs):
        return settings.MEDIA_URL + name.lstrip("/")
