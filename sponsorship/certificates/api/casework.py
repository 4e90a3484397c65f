from ninja import Router

router = Router(tags=["Casework: certificates"])
