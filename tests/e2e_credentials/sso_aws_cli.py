# Runs the installed AWS CLI v2 (its own bundled botocore) in-process with one
# change: clients for "sso" and "sso-oidc" go to $SSO_TEST_ENDPOINT. That
# release predates AWS_ENDPOINT_URL_SSO, and this is the only way to point its
# IAM Identity Center calls at the local emulator. Everything else (profile
# resolution, the token and registration caches, refresh, polling) is the AWS
# CLI's own code.
#
# usage: python3 sso_aws_cli.py AWS-CLI-ARGS...
import os
import sys

import awscli  # installs the alias that makes `botocore` the CLI's bundled copy
import awscli.clidriver
import botocore.session

endpoint = os.environ["SSO_TEST_ENDPOINT"]
create_client = botocore.session.Session.create_client


def redirected(self, service_name, *args, **kwargs):
    if service_name in ("sso", "sso-oidc"):
        kwargs["endpoint_url"] = endpoint
    return create_client(self, service_name, *args, **kwargs)


botocore.session.Session.create_client = redirected
sys.argv = ["aws"] + sys.argv[1:]
sys.exit(awscli.clidriver.main())
