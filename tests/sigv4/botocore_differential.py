"""Differential test: mwaatok's SigV4 signer against botocore's SigV4Auth.

Generates random requests (fixed seed), signs each with botocore and with
sign_tool, and fails on the first Authorization header that differs.
Usage: botocore_differential.py SIGN_TOOL [--count N] [--seed S]
"""

import argparse
import datetime
import hashlib
import json
import random
import subprocess
import sys
import types
from urllib.parse import quote

try:
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
except ImportError:
    print("botocore is not installed; skipping")
    sys.exit(77)


class FixedDatetime(datetime.datetime):
    """botocore reads the signing time from datetime.datetime.utcnow()."""

    fixed = None

    @classmethod
    def utcnow(cls):
        return cls.fixed


botocore.auth.datetime = types.SimpleNamespace(datetime=FixedDatetime)

HOSTS = [
    "env.airflow.us-east-1.amazonaws.com",
    "example.amazonaws.com",
    "sts.eu-west-1.amazonaws.com",
    "localhost:8443",
    "127.0.0.1:9000",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"]
SERVICES = ["airflow", "service", "sts", "execute-api", "lambda"]
SEGMENT_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
    "!$&'()*+,;=:@ "
)
UNICODE = ["é", "ሴ", "日本", "😀", "ß"]
SPECIAL_SEGMENTS = ["", ".", "..", "%2F", "%41", "%25", "a%20b", "%E1%88%B4", "...", "%2e%2E"]
QUERY_KEYS = ["a", "A", "b", "Param", "key-1", "x_y", "~t", "é", "ሴ", "sp ace", "a+b",
              "with=eq", "", "X-Amz-Meta", "list[]", "%"]
HEADER_NAMES = ["X-Custom", "x-custom", "My-Header", "Content-Type", "Accept",
                "X-Amz-Meta-Data", "X-Amz-Date", "User-Agent", "Expect",
                "X-Amzn-Trace-Id", "X-Amz-Target", "X-Amz-Security-Token", "Content-Length"]
WORDS = ["value", "a", "b c", "\"quoted  text\"", "application/json", "1", "x=y;z",
         "MiXeD", "!#$%&'*+-.^_`|~", "(paren)", "k:v", ""]
WHITESPACE = [" ", "  ", "\t", " \t ", "   "]
TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def random_text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def random_segment(rng):
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(SPECIAL_SEGMENTS)
    text = random_text(rng, SEGMENT_CHARS, 1, 8)
    if roll < 0.4:
        text += rng.choice(UNICODE)
    return text


def random_path(rng):
    if rng.random() < 0.05:
        return rng.choice(["", "/"])
    path = "/" + "/".join(random_segment(rng) for _ in range(rng.randint(0, 5)))
    if rng.random() < 0.3:
        path += "/"
    return path


def encode(text):
    # Queries are given in canonical form: botocore signs them as written.
    return quote(text, safe="-_.~")


def random_query(rng):
    pairs = []
    for _ in range(rng.randint(0, 5)):
        if pairs and rng.random() < 0.2:
            key = pairs[rng.randrange(len(pairs))][0]  # a repeated key
        else:
            key = encode(rng.choice(QUERY_KEYS))
        roll = rng.random()
        if roll < 0.15 and key:
            pairs.append((key, None))  # no '=' at all
        elif roll < 0.3:
            pairs.append((key, ""))
        else:
            value = random_text(rng, SEGMENT_CHARS, 0, 6) + (rng.choice(UNICODE) if rng.random() < 0.2 else "")
            pairs.append((key, encode(value)))
    return "&".join(k if v is None else f"{k}={v}" for k, v in pairs)


def random_header_value(rng):
    parts = [rng.choice(WORDS) for _ in range(rng.randint(0, 3))]
    value = ""
    for i, part in enumerate(parts):
        value += (rng.choice(WHITESPACE) if i else "") + part
    if rng.random() < 0.3:
        value = rng.choice(WHITESPACE) + value
    if rng.random() < 0.3:
        value += rng.choice(WHITESPACE)
    return value


def random_case(rng):
    host = rng.choice(HOSTS)
    headers = [[rng.choice(["Host", "host", "HOST"]), host]]
    for _ in range(rng.randint(0, 5)):
        name = rng.choice(HEADER_NAMES)
        if name == "X-Amz-Date":
            value = "20000101T000000Z"
        elif name == "Content-Length":
            value = str(rng.randint(0, 999))
        else:
            value = random_header_value(rng)
        headers.append([name, value])
    if rng.random() < 0.2 and len(headers) > 1:  # the same header again
        headers.append(list(rng.choice(headers[1:])))

    body = rng.choice(["", "", "Param1=value1", '{"Name":"my-env"}', "ünïcødé body ሴ",
                       random_text(rng, SEGMENT_CHARS, 0, 300)])
    payload = rng.choices(["hash", "unsigned", "given"], weights=[70, 15, 15])[0]
    scheme = "https" if payload == "unsigned" or rng.random() < 0.8 else "http"
    case = {
        "method": rng.choice(METHODS),
        "scheme": scheme,
        "host": host,
        "path": random_path(rng),
        "query": random_query(rng),
        "headers": headers,
        "body": body,
        "access_key": "AKIA" + random_text(rng, KEY_CHARS, 16, 16),
        "secret_key": random_text(rng, TOKEN_CHARS, 40, 40),
        "token": random_text(rng, TOKEN_CHARS, 16, 400) if rng.random() < 0.5 else "",
        "region": rng.choice(REGIONS),
        "service": rng.choice(SERVICES),
        "payload": payload,
    }
    start = datetime.datetime(2000, 1, 1)
    when = start + datetime.timedelta(seconds=rng.randint(0, 38 * 365 * 86400))
    case["time"] = when.strftime("%Y%m%dT%H%M%SZ")
    if payload == "given":
        case["payload_hash"] = hashlib.sha256(rng.choice(["x", "y", body]).encode()).hexdigest()
        case["headers"].append(["X-Amz-Content-SHA256", case["payload_hash"]])
    if payload != "hash":
        case["content_sha256_header"] = True
    return case


def sign_with_botocore(case):
    creds = botocore.credentials.Credentials(case["access_key"], case["secret_key"], case["token"] or None)
    auth = botocore.auth.SigV4Auth(creds, case["service"], case["region"])
    url = f"{case['scheme']}://{case['host']}{case['path']}"
    if case["query"]:
        url += "?" + case["query"]
    request = botocore.awsrequest.AWSRequest(method=case["method"], url=url, data=case["body"].encode())
    for name, value in case["headers"]:
        request.headers[name] = value  # appends: repeated names stay repeated
    if case["payload"] == "unsigned":
        request.context["payload_signing_enabled"] = False
    FixedDatetime.fixed = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    auth.add_auth(request)
    prepared = request.prepare()
    return prepared.headers["Authorization"], auth.canonical_request(request)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sign_tool")
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    cases = [random_case(rng) for _ in range(args.count)]
    lines = "".join(json.dumps(c) + "\n" for c in cases)
    result = subprocess.run([args.sign_tool], input=lines.encode(), stdout=subprocess.PIPE, check=True)
    outputs = [json.loads(line) for line in result.stdout.decode().splitlines()]
    if len(outputs) != len(cases):
        print(f"sign_tool answered {len(outputs)} of {len(cases)} requests (seed {args.seed})")
        return 1

    mismatches = 0
    for index, (case, ours) in enumerate(zip(cases, outputs)):
        theirs, their_canonical = sign_with_botocore(case)
        if ours.get("authorization") == theirs:
            continue
        mismatches += 1
        if mismatches <= 3:
            print(f"MISMATCH #{index} (seed {args.seed}):")
            print("  request:", json.dumps(case, ensure_ascii=False))
            print("  botocore:", theirs)
            print("  mwaatok: ", ours.get("authorization", ours.get("error")))
            print("  botocore canonical request:\n" + their_canonical)
            print("  mwaatok canonical request:\n" + ours.get("canonical_request", ""))
    print(f"compared {len(cases)} requests with botocore {botocore.__version__} "
          f"(seed {args.seed}): {len(cases) - mismatches} match, {mismatches} differ")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
