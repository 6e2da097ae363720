"""ListEnvironments through botocore's own paginator: an independent client
for the emulator's pagination. Usage: ENDPOINT REGION PAGE_SIZE CA_BUNDLE;
the access key comes from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
Prints one environment name per line; exits 77 when botocore is missing."""
import os
import sys

try:
    import botocore.session
    from botocore.config import Config
except ImportError:
    sys.exit(77)

endpoint, region, size, ca = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = botocore.session.get_session().create_client(
    "mwaa", region_name=region, endpoint_url=endpoint, verify=ca,
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    # The emulator is reached by IP address: no "api." in front of it.
    config=Config(inject_host_prefix=False))
for page in client.get_paginator("list_environments").paginate(PaginationConfig={"PageSize": size}):
    for name in page["Environments"]:
        print(name)
