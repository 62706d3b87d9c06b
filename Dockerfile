# syntax=docker/dockerfile:1
# Buurtkracht in one small image: a static Go binary on distroless (no shell,
# runs as a non-root user). Build: docker build -t buurtkracht .

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so a code change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Templates (*_templ.go), migrations, CBS data and static assets are committed
# and embedded, so neither templ nor npm is needed here.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/buurtkracht ./cmd/buurtkracht

# static-debian12 holds CA certificates, tzdata and /etc/passwd with "nonroot".
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/buurtkracht /buurtkracht
ENV APP_ENV=production \
    ADDR=:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["/buurtkracht", "healthcheck"]
ENTRYPOINT ["/buurtkracht"]
CMD ["serve"]
