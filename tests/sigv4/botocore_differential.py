"""Differential test: mwaatok's SigV4 signer against botocore's SigV4Auth.

Generates random requests (fixed seed), signs each with botocore and with
sign_tool, and fails on the first Authorization header that differs.
A second set goes through `mwaatok request`'s own preparation (host forms,
the caller's x-amz-content-sha256, raw UTF-8 in URLs): the service and region
inferred, the URL sent and the header sent once are checked too.
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
    elif rng.random() < 0.1:
        # A caller's own payload hash header: botocore and smithy sign its value.
        case["headers"].append([rng.choice(["X-Amz-Content-SHA256", "x-amz-content-sha256"]),
                                rng.choice(RAW_PAYLOAD_HASHES)])
    if payload != "hash":
        case["content_sha256_header"] = True
    return case


# `mwaatok request` URLs: each host form with the signing name and region the SDKs use.
RAW_HOSTS = [
    ("s3.amazonaws.com", "s3", "us-east-1"),
    ("examplebucket.s3.amazonaws.com", "s3", "us-east-1"),
    ("s3-external-1.amazonaws.com", "s3", "us-east-1"),
    ("bucket.s3-external-1.amazonaws.com", "s3", "us-east-1"),
    ("s3-eu-west-1.amazonaws.com", "s3", "eu-west-1"),
    ("my.bucket.s3-ap-southeast-2.amazonaws.com", "s3", "ap-southeast-2"),
    ("bucket.s3.eu-central-1.amazonaws.com", "s3", "eu-central-1"),
    ("s3.us-west-2.amazonaws.com", "s3", "us-west-2"),
    ("bucket.s3.dualstack.eu-west-1.amazonaws.com", "s3", "eu-west-1"),
    ("s3.dualstack.us-east-2.amazonaws.com", "s3", "us-east-2"),
    ("s3-fips.us-east-2.amazonaws.com", "s3", "us-east-2"),
    ("bucket.s3-fips.dualstack.us-gov-west-1.amazonaws.com", "s3", "us-gov-west-1"),
    ("myap-123456789012.s3-accesspoint.us-west-2.amazonaws.com", "s3", "us-west-2"),
    ("myap-123456789012.s3-accesspoint-fips.dualstack.us-east-1.amazonaws.com", "s3", "us-east-1"),
    ("bucket.s3.cn-north-1.amazonaws.com.cn", "s3", "cn-north-1"),
    ("us-east-1.s3.eu-west-1.amazonaws.com", "s3", "eu-west-1"),
    ("airflow.eu-west-1.amazonaws.com", "airflow", "eu-west-1"),
    ("env.airflow.us-east-1.amazonaws.com", "airflow", "us-east-1"),
    ("sts.amazonaws.com", "sts", "us-east-1"),
    ("sts-fips.us-east-2.amazonaws.com", "sts", "us-east-2"),
    ("lambda.ap-southeast-2.amazonaws.com", "lambda", "ap-southeast-2"),
]
RAW_HEADER_NAMES = ["X-Custom", "x-custom", "Content-Type", "Accept", "X-Amz-Meta-Data",
                    "User-Agent", "X-Amz-Target", "Expect", "X-Amz-Date", "X-Amz-Security-Token"]
RAW_PAYLOAD_HASHES = ["UNSIGNED-PAYLOAD", hashlib.sha256(b"other").hexdigest(),
                      "STREAMING-UNSIGNED-PAYLOAD-TRAILER"]


def wire_url(url):
    """The URL as the SDKs send it: bytes outside US-ASCII percent-encoded (uppercase)."""
    return "".join(c if ord(c) < 0x80 else quote(c, safe="") for c in url)


def random_raw_case(rng):
    host, service, region = rng.choice(RAW_HOSTS)
    segments = []
    for _ in range(rng.randint(0, 4)):
        segment = random_segment(rng).replace(" ", "%20")
        if rng.random() < 0.3:
            segment += rng.choice(UNICODE)  # typed raw: encoded on the wire
        segments.append(segment)
    path = "/" + "/".join(segments)
    pairs = []
    for _ in range(rng.randint(0, 3)):
        key = encode(rng.choice(QUERY_KEYS)) or "k"
        value = encode(random_text(rng, SEGMENT_CHARS, 0, 4))
        if rng.random() < 0.4:
            value += rng.choice(UNICODE)
        pairs.append(f"{key}={value}")
    url = f"https://{host}{path}" + ("?" + "&".join(pairs) if pairs else "")
    headers = []
    for _ in range(rng.randint(0, 3)):
        value = random_header_value(rng).strip()
        headers.append(f"{rng.choice(RAW_HEADER_NAMES)}: {value}")
    if rng.random() < 0.35:
        name = rng.choice(["X-Amz-Content-Sha256", "x-amz-content-sha256", "X-Amz-Content-SHA256"])
        headers.insert(rng.randint(0, len(headers)), f"{name}: {rng.choice(RAW_PAYLOAD_HASHES)}")
    case = {
        "raw": True,
        "method": rng.choice(METHODS),
        "url": url,
        "headers": headers,
        "body": rng.choice(["", "Param1=value1", '{"Name":"my-env"}', "ünïcødé body ሴ"]),
        "unsigned": rng.random() < 0.15,
        "access_key": "AKIA" + random_text(rng, KEY_CHARS, 16, 16),
        "secret_key": random_text(rng, TOKEN_CHARS, 40, 40),
        "token": random_text(rng, TOKEN_CHARS, 16, 200) if rng.random() < 0.5 else "",
        "service": service,
        "region": region,
    }
    when = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 38 * 365 * 86400))
    case["time"] = when.strftime("%Y%m%dT%H%M%SZ")
    return case


class CallerPayloadS3Auth(botocore.auth.S3SigV4Auth):
    """S3 as the SDKs' S3 clients sign it for a caller: payload signing off
    (UNSIGNED-PAYLOAD) when asked, else the caller's x-amz-content-sha256
    kept (as @smithy/signature-v4 does), else the body hash."""

    def __init__(self, credentials, region, caller_hash, unsigned):
        super().__init__(credentials, "s3", region)
        self.caller_hash = caller_hash
        self.unsigned = unsigned

    def _modify_request_before_signing(self, request):
        super()._modify_request_before_signing(request)
        value = botocore.auth.UNSIGNED_PAYLOAD if self.unsigned else self.caller_hash
        if value:
            del request.headers["X-Amz-Content-SHA256"]
            request.headers["X-Amz-Content-SHA256"] = value


def sign_raw_with_botocore(case):
    creds = botocore.credentials.Credentials(case["access_key"], case["secret_key"], case["token"] or None)
    caller_hash = None
    request = botocore.awsrequest.AWSRequest(method=case["method"], url=wire_url(case["url"]),
                                             data=case["body"].encode())
    for line in case["headers"]:
        name, _, value = line.partition(":")
        if name.lower() == "x-amz-content-sha256":
            caller_hash = value.strip()
        request.headers[name.strip()] = value.strip()
    if case["service"] == "s3":
        auth = CallerPayloadS3Auth(creds, case["region"], caller_hash, case["unsigned"])
    else:
        auth = botocore.auth.SigV4Auth(creds, case["service"], case["region"])
        if case["unsigned"]:
            request.context["payload_signing_enabled"] = False
    FixedDatetime.fixed = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    auth.add_auth(request)
    prepared = request.prepare()
    return prepared.headers["Authorization"], auth.canonical_request(request)


def check_raw(case, ours):
    """What else `request` must get right; an empty list when all is well."""
    problems = []
    if ours.get("service") != case["service"] or ours.get("region") != case["region"]:
        problems.append(f"inferred {ours.get('service')}/{ours.get('region')}, "
                        f"expected {case['service']}/{case['region']}")
    if ours.get("url") != wire_url(case["url"]):
        problems.append(f"sent URL {ours.get('url')}, expected {wire_url(case['url'])}")
    given = any(h.lower().startswith("x-amz-content-sha256:") for h in case["headers"])
    wanted = 1 if (given or case["unsigned"] or case["service"] == "s3") else 0
    if ours.get("content_sha256_headers") != wanted:
        problems.append(f"x-amz-content-sha256 sent {ours.get('content_sha256_headers')} times, expected {wanted}")
    return problems


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
    cases += [random_raw_case(rng) for _ in range(max(1, args.count // 3))]
    lines = "".join(json.dumps(c) + "\n" for c in cases)
    result = subprocess.run([args.sign_tool], input=lines.encode(), stdout=subprocess.PIPE, check=True)
    outputs = [json.loads(line) for line in result.stdout.decode().splitlines()]
    if len(outputs) != len(cases):
        print(f"sign_tool answered {len(outputs)} of {len(cases)} requests (seed {args.seed})")
        return 1

    mismatches = 0
    for index, (case, ours) in enumerate(zip(cases, outputs)):
        raw = case.get("raw", False)
        theirs, their_canonical = (sign_raw_with_botocore if raw else sign_with_botocore)(case)
        problems = check_raw(case, ours) if raw else []
        if ours.get("authorization") == theirs and not problems:
            continue
        mismatches += 1
        if mismatches <= 3:
            print(f"MISMATCH #{index} (seed {args.seed}):")
            for problem in problems:
                print("  " + problem)
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
