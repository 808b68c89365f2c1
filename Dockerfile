FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm chromium fonts-liberation && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
COPY ics_planner ics_planner
COPY core core
COPY education education
COPY workforce workforce
RUN pip install --no-cache-dir . && npm ci --no-audit --no-fund
COPY . .
RUN python scripts/vendor_static.py
EXPOSE 8000
