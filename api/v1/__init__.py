from ninja import NinjaAPI

api = NinjaAPI(title="Yishi API", version="1", urls_namespace="api-v1")
