"""Locust users for bench/load.py: office staff browsing lists, hotline clerks entering cases over
the API, residents reporting through an Open311 app. Tokens and keys come from the environment
(set by bench/load.py). A submission counts as made only when the server accepted it (201; 200
for Open311)."""

from __future__ import annotations

import os
import random
import time

from locust import HttpUser, between, task

OFFICE_TOKEN = os.environ.get("LOAD_OFFICE_TOKEN", "")
CLERK_TOKEN = os.environ.get("LOAD_CLERK_TOKEN", "")
OPEN311_KEY = os.environ.get("LOAD_OPEN311_KEY", "")
# No new submission after this moment (set by bench/load.py a few seconds before the run ends): a
# request cut off when locust stops could be committed by the server yet never counted here.
SUBMIT_UNTIL = float(os.environ.get("LOAD_SUBMIT_UNTIL", "inf"))
LISTS = [
    "/api/v1/cases",
    "/api/v1/points",
    "/api/v1/units",
    "/api/v1/regions",
    "/api/v1/alerts",
    "/api/v1/cases?status=reported",
    "/api/v1/inspections/rounds",
]


class OfficeUser(HttpUser):
    """文明办: reads lists and the case queue."""

    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {OFFICE_TOKEN}"

    @task
    def browse(self) -> None:
        path = random.choice(LISTS)
        self.client.get(path, name=path.split("?")[0])


class HotlineClerk(HttpUser):
    """12345 热线 clerk of the office: enters each call as a case at a point."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {CLERK_TOKEN}"

    @task(3)
    def report_case(self) -> None:
        if time.time() >= SUBMIT_UNTIL:
            return
        with self.client.post(
            "/api/v1/cases",
            json={
                "source": "hotline",
                "description": "巷口垃圾未清运（压测）",
                "category": "S0101",
                "point": "P00001",
            },
            name="submit:case",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def my_cases(self) -> None:
        self.client.get("/api/v1/cases", name="/api/v1/cases")


class ResidentUser(HttpUser):
    """市民: reports through a third-party app speaking Open311."""

    weight = 5
    wait_time = between(1, 4)

    @task(3)
    def report(self) -> None:
        if time.time() >= SUBMIT_UNTIL:
            return
        with self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": OPEN311_KEY,
                "service_code": "S0101",
                "lat": "39.925",
                "long": "116.405",
                "address_string": "多福巷 12 号门口",
                "description": "垃圾堆在巷口三天了（压测）",
                "phone": "13812345678",
            },
            name="submit:open311",
            catch_response=True,
        ) as response:
            if response.status_code != 200:  # Open311 GeoReport v2 answers 200
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(2)
    def services(self) -> None:
        self.client.get("/open311/v2/services.json", name="/open311/v2/services.json")
