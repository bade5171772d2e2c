#!/usr/bin/env python3
"""Milliseconds per call: imgctl against its peers on the same loopback server.

Starts `imgctl emulator --speed 0`, then times, in one run, the same
DescribeImages call made by imgctl (release build), the AWS CLI, a boto3
one-shot script, and curl (a plain POST, the floor for "start a process,
open one loopback connection, write, read"). Prints medians and ratios.

    cargo build --release
    VENV=$(bash tests/conformance/setup-venv.sh)
    $VENV/bin/python bench/describe.py [--runs 30]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMGCTL = os.environ.get("IMGCTL_BIN", os.path.join(ROOT, "target", "release", "imgctl"))
BIN = os.path.dirname(sys.executable)

BOTO3_ONESHOT = """
import boto3, sys
c = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="imgctl-demo", aws_secret_access_key="imgctl-demo-secret")
c.describe_images(ImageIds=["ami-0abcdef1234567890"])
"""


def median_ms(cmd, runs, env):
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        xs.append((time.perf_counter() - t) * 1000)
        if r.returncode != 0:
            sys.exit(f"{cmd[0]} failed: {r.stderr.decode()[:400]}")
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    emu = subprocess.Popen([IMGCTL, "emulator", "--speed", "0"], stdout=subprocess.PIPE, text=True)
    try:
        url = emu.stdout.readline().strip()
        if not url.startswith("http://"):
            sys.exit(f"the emulator did not start (is {IMGCTL} current? cargo build --release)")
        env = dict(os.environ, AWS_ACCESS_KEY_ID="imgctl-demo", AWS_SECRET_ACCESS_KEY="imgctl-demo-secret",
                   AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true", HOME="/tmp")
        cases = {
            "imgctl describe": [IMGCTL, "describe", "--provider", "ec2", "--region", "us-east-1",
                                "--endpoint-url", url, "--image-id", "ami-0abcdef1234567890"],
            "aws ec2 describe-images": [os.path.join(BIN, "aws"), "ec2", "describe-images", "--endpoint-url", url,
                                        "--image-ids", "ami-0abcdef1234567890"],
            "boto3 one-shot": [sys.executable, "-c", BOTO3_ONESHOT, url],
            "curl POST (floor)": ["curl", "-s", "-o", "/dev/null", "-X", "POST", "--data",
                                  "Action=DescribeImages&Version=2016-11-15", url + "/"],
        }
        res = {k: median_ms(v, a.runs, env) for k, v in cases.items()}
        base = res["imgctl describe"]
        print(f"median of {a.runs} runs, ms (ratio to imgctl)")
        for k, v in res.items():
            print(f"  {k:26} {v:8.2f}  ({v / base:5.1f}x)")
    finally:
        emu.terminate()
        emu.wait()


if __name__ == "__main__":
    main()
